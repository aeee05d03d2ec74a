package io.vmqtt;

import io.vmqtt.spi.SessionStore;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The immutable configuration of an {@link MqttClient}: hbmqtt's config keys with hbmqtt's
 * defaults, plus credentials, protocol level, bounds and timeouts.
 *
 * <pre>{@code
 * MqttConfig config = MqttConfig.from(Map.of(
 *     "keep_alive", 10,
 *     "default_qos", 1,
 *     "topics", Map.of("/test", Map.of("qos", 1),
 *                      "/some_topic", Map.of("qos", 2, "retain", true))));
 * MqttConfig same = MqttConfig.builder().keepAlive(Duration.ofSeconds(10))
 *     .defaultQos(QoS.AT_LEAST_ONCE).topic("/test", QoS.AT_LEAST_ONCE)
 *     .topic("/some_topic", QoS.EXACTLY_ONCE, true).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; two configurations are equal when every value is (the password by
 * content).
 */
public final class MqttConfig {
  private static final MqttConfig DEFAULTS = new Builder().build();

  private final Duration keepAlive;
  private final Duration pingDelay;
  private final QoS defaultQos;
  private final boolean defaultRetain;
  private final boolean autoReconnect;
  private final Duration reconnectMaxInterval;
  private final int reconnectRetries;
  private final boolean cleanSession;
  private final Will will;
  private final Map<String, TopicSettings> topics;
  private final String username;
  private final byte[] password;
  private final int protocolVersion;
  private final int maxInflight;
  private final int incomingQueueSize;
  private final int incomingQueueBytes;
  private final OverflowPolicy incomingOverflow;
  private final Duration operationTimeout;
  private final Duration connectTimeout;
  private final int maxPacketSize;
  private final Duration reconnectMinInterval;
  private final double reconnectJitter;
  private final boolean restoreSubscriptions;
  private final OfflinePolicy offlineQos0;
  private final int maxQueuedMessages;
  private final int maxQueuedBytes;
  private final QueueOverflow queueOverflow;
  private final SessionStore sessionStore;
  private final TlsOptions tls;
  private final Map<String, String> extraHeaders;
  private final ProxyOptions proxy;

  private MqttConfig(Builder b) {
    this.keepAlive = b.keepAlive;
    this.pingDelay = b.pingDelay;
    this.defaultQos = b.defaultQos;
    this.defaultRetain = b.defaultRetain;
    this.autoReconnect = b.autoReconnect;
    this.reconnectMaxInterval = b.reconnectMaxInterval;
    this.reconnectRetries = b.reconnectRetries;
    this.cleanSession = b.cleanSession;
    this.will = b.will;
    this.topics = Collections.unmodifiableMap(new LinkedHashMap<>(b.topics));
    this.username = b.username;
    this.password = b.password;
    this.protocolVersion = b.protocolVersion;
    this.maxInflight = b.maxInflight;
    this.incomingQueueSize = b.incomingQueueSize;
    this.incomingQueueBytes = b.incomingQueueBytes;
    this.incomingOverflow = b.incomingOverflow;
    this.operationTimeout = b.operationTimeout;
    this.connectTimeout = b.connectTimeout;
    this.maxPacketSize = b.maxPacketSize;
    this.reconnectMinInterval = b.reconnectMinInterval;
    this.reconnectJitter = b.reconnectJitter;
    this.restoreSubscriptions = b.restoreSubscriptions;
    this.offlineQos0 = b.offlineQos0;
    this.maxQueuedMessages = b.maxQueuedMessages;
    this.maxQueuedBytes = b.maxQueuedBytes;
    this.queueOverflow = b.queueOverflow;
    this.sessionStore = b.sessionStore;
    this.tls = b.tls;
    this.extraHeaders = b.extraHeaders;
    this.proxy = b.proxy;
  }

  /** The defaults: every key at its documented default. */
  public static MqttConfig defaults() {
    return DEFAULTS;
  }

  /**
   * A configuration from an hbmqtt-style map: hbmqtt's keys and defaults, plus ours; each key is
   * named on its accessor, and a key left out keeps its default. Times are numbers of seconds (any
   * {@link Number}: {@code 0.5} is 500 ms); integers and QoS levels are numbers with an integral
   * value (a QoS may also be a {@link QoS}); booleans are {@link Boolean}; a password or will
   * message is a {@link String} (sent as UTF-8) or a {@code byte[]}; {@code will} is a map of
   * {@code topic}, {@code message}, {@code qos} (0) and {@code retain} (false); {@code topics} maps
   * a topic or filter to a map of {@code qos} and/or {@code retain}; {@code extra_headers} is a map
   * of header name to value, both {@link String}s.
   *
   * @throws IllegalArgumentException naming the key (nested keys as a path, {@code
   *     topics./a/b.qos}) when a key is unknown, a value is null, of the wrong type or out of range
   * @throws NullPointerException when {@code map} is null
   */
  public static MqttConfig from(Map<String, ?> map) {
    return ConfigMapParser.parse(map);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code keep_alive}: the keep-alive interval sent in CONNECT; zero turns keep-alive off.
   * 0..65535 whole seconds, default 10.
   */
  public Duration keepAlive() {
    return keepAlive;
  }

  /**
   * {@code ping_delay}: PINGREQ goes out when nothing was sent for keep_alive − ping_delay. At
   * least 0 and, with keep-alive on, less than keep_alive; default 1 s.
   */
  public Duration pingDelay() {
    return pingDelay;
  }

  /** {@code default_qos}: the QoS of {@code publish(topic, payload)} without a topics entry; 0. */
  public QoS defaultQos() {
    return defaultQos;
  }

  /** {@code default_retain}: the retain flag of {@code publish(topic, payload)} likewise; false. */
  public boolean defaultRetain() {
    return defaultRetain;
  }

  /** {@code auto_reconnect}: reconnect when the connection is lost; default true. */
  public boolean autoReconnect() {
    return autoReconnect;
  }

  /** {@code reconnect_max_interval}: the longest wait between two attempts; > 0, default 10 s. */
  public Duration reconnectMaxInterval() {
    return reconnectMaxInterval;
  }

  /** {@code reconnect_retries}: attempts before giving up; negative means forever; default 2. */
  public int reconnectRetries() {
    return reconnectRetries;
  }

  /** {@code cleansession}: the clean-session flag of CONNECT; default true. */
  public boolean cleanSession() {
    return cleanSession;
  }

  /** {@code will}: the last will, if any; default none. */
  public Optional<Will> will() {
    return Optional.ofNullable(will);
  }

  /** {@code topics}: per-topic (or per-filter) QoS and retain defaults, by topic or filter. */
  public Map<String, TopicSettings> topics() {
    return topics;
  }

  /** {@code username}: a valid MQTT string; default none. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** {@code password}: a copy; at most 65,535 bytes, only with a username; default none. */
  public Optional<byte[]> password() {
    return Optional.ofNullable(password).map(byte[]::clone);
  }

  /** {@code protocol_version}: 4 (MQTT 3.1.1, the default) or 3 (MQTT 3.1). */
  public int protocolVersion() {
    return protocolVersion;
  }

  /** {@code max_inflight}: outbound QoS 1/2 flows at once, 1..65535, default 20; others wait. */
  public int maxInflight() {
    return maxInflight;
  }

  /**
   * {@code incoming_queue_size}: received QoS 0 messages held for {@code deliverMessage}; 10000.
   */
  public int incomingQueueSize() {
    return incomingQueueSize;
  }

  /**
   * {@code incoming_queue_bytes}: the bytes that received messages of every QoS may hold while they
   * wait for {@code deliverMessage} (payload and topic, plus 64 per message); 16 MiB. When a QoS
   * 1/2 message does not fit, the client stops reading until the application takes messages, so TCP
   * pushes back on the broker; a QoS 0 message that does not fit meets {@link #incomingOverflow()}.
   * A message larger than the whole budget is still taken when the queue is empty.
   */
  public int incomingQueueBytes() {
    return incomingQueueBytes;
  }

  /** {@code incoming_overflow}: what becomes of a QoS 0 message finding the queue full. */
  public OverflowPolicy incomingOverflow() {
    return incomingOverflow;
  }

  /** {@code operation_timeout}: bounds every blocking call but {@code deliverMessage()}; 30 s. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** {@code connect_timeout}: bounds opening the connection and receiving CONNACK; 10 s. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * {@code max_packet_size}: the largest incoming packet, fixed header included, in bytes;
   * 2..268435460, default 16 MiB.
   */
  public int maxPacketSize() {
    return maxPacketSize;
  }

  /**
   * {@code reconnect_min_interval}: the first wait between automatic reconnection attempts, doubled
   * after each failed one up to {@code reconnect_max_interval} (which also caps this first wait);
   * default 1 s. With a minimum of 1 s, a maximum of 60 s and no jitter this is the DL-7450
   * schedule: 1, 2, 4, 8, 16, 32, 60, 60... s.
   */
  public Duration reconnectMinInterval() {
    return reconnectMinInterval;
  }

  /**
   * {@code reconnect_jitter}: each wait is shortened by a random part of up to this fraction, so
   * clients cut at the same moment do not retry in lock-step; 0..1, default 0.5; 0 = exact waits.
   */
  public double reconnectJitter() {
    return reconnectJitter;
  }

  /**
   * {@code restore_subscriptions}: when the broker reports no session after a reconnection, the
   * client subscribes again to what it was subscribed to; default true.
   */
  public boolean restoreSubscriptions() {
    return restoreSubscriptions;
  }

  /**
   * {@code offline_qos0}: a QoS 0 publish while the client reconnects is queued and sent after the
   * reconnection ({@code queue}, the default) or fails at once ({@code fail}).
   */
  public OfflinePolicy offlineQos0() {
    return offlineQos0;
  }

  /**
   * {@code max_queued_messages}: outbound messages accepted but not yet sent (while reconnecting,
   * or waiting for the in-flight window), 1..65535, default 1000.
   */
  public int maxQueuedMessages() {
    return maxQueuedMessages;
  }

  /**
   * {@code max_queued_bytes}: the bytes (payload and topic, plus 64 per message) that the outbound
   * messages accepted but not yet sent may hold, at least 1, default 16 MiB. A QoS 0 message queued
   * while the client reconnects is held after its {@code publish} returned, so a bound in messages
   * alone would let a few large ones take the heap. One message larger than this is accepted when
   * nothing else waits.
   */
  public int maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /** {@code queue_overflow}: what a publish does when the outbound queue is full. */
  public QueueOverflow queueOverflow() {
    return queueOverflow;
  }

  /**
   * The {@link SessionStore} that keeps the session state; when absent, each client keeps its own
   * in memory. In a map: {@code session_dir} (and {@code session_fsync}) for a file store.
   */
  public Optional<SessionStore> sessionStore() {
    return Optional.ofNullable(sessionStore);
  }

  /**
   * The TLS options of {@code mqtts://}, {@code ssl://} and {@code wss://} connections (the keys
   * {@code cafile}, {@code certfile}, {@code psk_identity}... listed on {@link TlsOptions}; TLS-PSK
   * is for {@code mqtts}/{@code ssl} only); {@link TlsOptions#defaults()} unless set. {@link
   * ConnectOptions#tls()} overrides them for one connection.
   */
  public TlsOptions tls() {
    return tls;
  }

  /**
   * {@code extra_headers}: HTTP headers added to the WebSocket upgrade request of {@code ws} and
   * {@code wss} connections, e.g. {@code Authorization} for a proxy in front of the broker
   * (hbmqtt's {@code extra_headers}); other transports ignore them. Names are HTTP tokens, not the
   * ones the handshake sets itself ({@code Connection}, {@code Upgrade}, {@code Sec-WebSocket-*});
   * values are printable ASCII. In the given order; default none. {@link
   * ConnectOptions.Builder#extraHeaders} replaces them for one connection.
   */
  public Map<String, String> extraHeaders() {
    return extraHeaders;
  }

  /**
   * Whether and through which proxy connections reach the broker, over every transport: {@link
   * ProxyOptions#none()} (the default), an HTTP or SOCKS5 proxy, or {@link ProxyOptions#system()}.
   * In a map: {@code proxy} (a URL such as {@code socks5://user:pw@host:1080}), or {@code
   * proxy_type}, {@code proxy_host}, {@code proxy_port}, {@code proxy_username}, {@code
   * proxy_password}; or {@code proxy_from_system}. {@link ConnectOptions#proxy()} overrides it for
   * one connection.
   */
  public ProxyOptions proxy() {
    return proxy;
  }

  /**
   * The QoS {@code publish(topic, payload)} uses for this topic: the exact {@code topics} entry,
   * else the most specific matching filter entry, else {@code default_qos}.
   */
  public QoS qosFor(String topic) {
    TopicSettings s = Topics.mostSpecific(topics, topic);
    return s != null && s.qos != null ? s.qos : defaultQos;
  }

  /** The retain flag {@code publish(topic, payload)} uses for this topic, found likewise. */
  public boolean retainFor(String topic) {
    TopicSettings s = Topics.mostSpecific(topics, topic);
    return s != null && s.retain != null ? s.retain : defaultRetain;
  }

  /** Equal when every value is; the password is compared by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof MqttConfig c && values(false).equals(c.values(false));
  }

  @Override
  public int hashCode() {
    return values(false).hashCode();
  }

  /**
   * The configuration as config-map keys and values, times in seconds; the password and credential
   * headers redacted.
   */
  @Override
  public String toString() {
    return "MqttConfig" + values(true);
  }

  /**
   * The values by config-map key, in forms that are equal when the values are: times as exact
   * decimal seconds, the password as a {@link ByteBuffer} (compared by content) or redacted, and
   * with it the values of credential headers ({@code Authorization}, {@code Proxy-Authorization},
   * {@code Cookie}).
   */
  private Map<String, Object> values(boolean redactPassword) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keep_alive", ConfigChecks.seconds(keepAlive));
    m.put("ping_delay", ConfigChecks.seconds(pingDelay));
    m.put("default_qos", defaultQos.value());
    m.put("default_retain", defaultRetain);
    m.put("auto_reconnect", autoReconnect);
    m.put("reconnect_max_interval", ConfigChecks.seconds(reconnectMaxInterval));
    m.put("reconnect_retries", reconnectRetries);
    m.put("cleansession", cleanSession);
    m.put("will", will);
    m.put("topics", new TreeMap<>(topics)); // sorted, so equal configurations print alike
    m.put("username", username);
    m.put(
        "password",
        password == null ? null : redactPassword ? "<redacted>" : ByteBuffer.wrap(password));
    m.put("protocol_version", protocolVersion);
    m.put("max_inflight", maxInflight);
    m.put("incoming_queue_size", incomingQueueSize);
    m.put("incoming_queue_bytes", incomingQueueBytes);
    m.put("incoming_overflow", incomingOverflow.name().toLowerCase(Locale.ROOT));
    m.put("operation_timeout", ConfigChecks.seconds(operationTimeout));
    m.put("connect_timeout", ConfigChecks.seconds(connectTimeout));
    m.put("max_packet_size", maxPacketSize);
    m.put("reconnect_min_interval", ConfigChecks.seconds(reconnectMinInterval));
    m.put("reconnect_jitter", BigDecimal.valueOf(reconnectJitter));
    m.put("restore_subscriptions", restoreSubscriptions);
    m.put("offline_qos0", offlineQos0.name().toLowerCase(Locale.ROOT));
    m.put("max_queued_messages", maxQueuedMessages);
    m.put("max_queued_bytes", maxQueuedBytes);
    m.put("queue_overflow", queueOverflow.name().toLowerCase(Locale.ROOT));
    m.put("session_store", sessionStore);
    if (!tls.equals(TlsOptions.defaults())) {
      m.put("tls", tls); // its toString redacts keys, passwords and the PSK
    }
    m.put(
        "extra_headers", redactPassword ? ConfigChecks.redactHeaders(extraHeaders) : extraHeaders);
    if (proxy.type() != ProxyOptions.Type.NONE) {
      m.put("proxy", proxy); // its toString redacts the password
    }
    return m;
  }

  /**
   * QoS and retain defaults for one topic or topic filter, as a {@code topics} entry holds them;
   * what an entry leaves out falls back to {@code default_qos} / {@code default_retain}. Immutable.
   *
   * <pre>{@code
   * MqttConfig.builder()
   *     .topic("alerts/#", TopicSettings.qos(QoS.EXACTLY_ONCE))    // retain: default_retain
   *     .topic("status/+", TopicSettings.retain(true))            // QoS: default_qos
   *     .topic("status/me", TopicSettings.of(QoS.AT_LEAST_ONCE, false))
   *     .build();
   * }</pre>
   */
  public static final class TopicSettings {
    private static final TopicSettings NONE = new TopicSettings(null, null);

    /** Null: {@code default_qos}. */
    private final QoS qos;

    /** Null: {@code default_retain}. */
    private final Boolean retain;

    private TopicSettings(QoS qos, Boolean retain) {
      this.qos = qos;
      this.retain = retain;
    }

    /** This QoS; the retain flag from {@code default_retain}. */
    public static TopicSettings qos(QoS qos) {
      return new TopicSettings(Objects.requireNonNull(qos, "qos"), null);
    }

    /** This retain flag; the QoS from {@code default_qos}. */
    public static TopicSettings retain(boolean retain) {
      return new TopicSettings(null, retain);
    }

    /** This QoS and retain flag. */
    public static TopicSettings of(QoS qos, boolean retain) {
      return new TopicSettings(Objects.requireNonNull(qos, "qos"), retain);
    }

    /**
     * Neither: both from {@code default_qos} and {@code default_retain}. Such an entry still
     * matters: the entry for a topic, or the most specific filter, is the one that applies.
     */
    public static TopicSettings none() {
      return NONE;
    }

    /** The QoS, or empty for {@code default_qos}. */
    public Optional<QoS> qos() {
      return Optional.ofNullable(qos);
    }

    /** The retain flag, or empty for {@code default_retain}. */
    public Optional<Boolean> retain() {
      return Optional.ofNullable(retain);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TopicSettings t && qos == t.qos && Objects.equals(retain, t.retain);
    }

    @Override
    public int hashCode() {
      return Objects.hash(qos, retain);
    }

    /** As a config-map entry: {@code {qos=1, retain=true}}, {@code {qos=2}}, {@code {}}. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("{");
      if (qos != null) {
        s.append("qos=").append(qos.value());
      }
      if (retain != null) {
        s.append(qos != null ? ", " : "").append("retain=").append(retain);
      }
      return s.append('}').toString();
    }
  }

  /** What happens to a received QoS 0 message that finds the incoming queue full. */
  public enum OverflowPolicy {
    /** Discard the oldest queued QoS 0 message to make room (the default). */
    DROP_OLDEST,
    /** Discard the new message. */
    DROP_NEWEST
  }

  /** What a QoS 0 publish does while the client is reconnecting. */
  public enum OfflinePolicy {
    /** Queue it, bounded by {@code max_queued_messages}, and send it after the reconnection. */
    QUEUE,
    /** Throw {@link NotConnectedException} at once. */
    FAIL
  }

  /** What a publish does when {@code max_queued_messages} messages already wait to be sent. */
  public enum QueueOverflow {
    /** Wait for room, at most {@code operation_timeout} (the default). */
    BLOCK,
    /** Throw {@link MqttException} at once, naming the bound. */
    FAIL
  }

  /**
   * Builds {@link MqttConfig}. Each setter checks its argument against the limits documented on the
   * accessor of the same name and throws {@link IllegalArgumentException}, naming the config-map
   * key and the value, when it is out of range ({@link NullPointerException} when it is null);
   * {@link #build()} checks the values that depend on each other. Not thread-safe.
   */
  public static final class Builder {
    private Duration keepAlive = Duration.ofSeconds(10);
    private Duration pingDelay = Duration.ofSeconds(1);
    private QoS defaultQos = QoS.AT_MOST_ONCE;
    private boolean defaultRetain;
    private boolean autoReconnect = true;
    private Duration reconnectMaxInterval = Duration.ofSeconds(10);
    private int reconnectRetries = 2;
    private boolean cleanSession = true;
    private Will will;
    private final Map<String, TopicSettings> topics = new LinkedHashMap<>();
    private String username;
    private byte[] password;
    private int protocolVersion = 4;
    private int maxInflight = 20;
    private int incomingQueueSize = 10_000;
    private int incomingQueueBytes = 16 * 1024 * 1024;
    private OverflowPolicy incomingOverflow = OverflowPolicy.DROP_OLDEST;
    private Duration operationTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxPacketSize = 16 * 1024 * 1024;
    private Duration reconnectMinInterval = Duration.ofSeconds(1);
    private double reconnectJitter = 0.5;
    private boolean restoreSubscriptions = true;
    private OfflinePolicy offlineQos0 = OfflinePolicy.QUEUE;
    private int maxQueuedMessages = 1000;
    private int maxQueuedBytes = 16 * 1024 * 1024;
    private QueueOverflow queueOverflow = QueueOverflow.BLOCK;
    private SessionStore sessionStore;
    private TlsOptions tls = TlsOptions.defaults();

    /** The TLS keys of a config map, gathered by {@link ConfigMapParser}; null when none. */
    private TlsOptions.Builder mapTls;

    private Map<String, String> extraHeaders = Map.of();
    private ProxyOptions proxy = ProxyOptions.none();

    private Builder() {}

    /**
     * @throws IllegalArgumentException unless 0..65535 whole seconds
     */
    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = ConfigChecks.keepAlive(keepAlive);
      return this;
    }

    /**
     * @throws IllegalArgumentException when negative (or, at build, not below keep_alive)
     */
    public Builder pingDelay(Duration pingDelay) {
      this.pingDelay = ConfigChecks.notNegative("ping_delay", pingDelay);
      return this;
    }

    public Builder defaultQos(QoS defaultQos) {
      this.defaultQos = Objects.requireNonNull(defaultQos, "default_qos");
      return this;
    }

    public Builder defaultRetain(boolean defaultRetain) {
      this.defaultRetain = defaultRetain;
      return this;
    }

    public Builder autoReconnect(boolean autoReconnect) {
      this.autoReconnect = autoReconnect;
      return this;
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder reconnectMaxInterval(Duration reconnectMaxInterval) {
      this.reconnectMaxInterval =
          ConfigChecks.positive("reconnect_max_interval", reconnectMaxInterval);
      return this;
    }

    /** Any number: negative retries forever. */
    public Builder reconnectRetries(int reconnectRetries) {
      this.reconnectRetries = reconnectRetries;
      return this;
    }

    public Builder cleanSession(boolean cleanSession) {
      this.cleanSession = cleanSession;
      return this;
    }

    public Builder will(Will will) {
      this.will = Objects.requireNonNull(will, "will");
      return this;
    }

    /**
     * Publishes to this topic (or topics matching this filter) use this QoS.
     *
     * @throws IllegalArgumentException when {@code topicOrFilter} is not a valid topic filter
     */
    public Builder topic(String topicOrFilter, QoS qos) {
      return topic(topicOrFilter, TopicSettings.qos(qos));
    }

    /**
     * Publishes to this topic (or topics matching this filter) use this QoS and retain flag.
     *
     * @throws IllegalArgumentException when {@code topicOrFilter} is not a valid topic filter
     */
    public Builder topic(String topicOrFilter, QoS qos, boolean retain) {
      return topic(topicOrFilter, TopicSettings.of(qos, retain));
    }

    /**
     * Publishes to this topic (or topics matching this filter) use these settings; what they leave
     * out falls back to {@code default_qos} / {@code default_retain}.
     *
     * @throws IllegalArgumentException when {@code topicOrFilter} is not a valid topic filter
     */
    public Builder topic(String topicOrFilter, TopicSettings settings) {
      Objects.requireNonNull(settings, "settings");
      topics.put(Topics.requireValidFilter(topicOrFilter, "topics key"), settings);
      return this;
    }

    /**
     * The user name and, when not null, the password.
     *
     * @throws IllegalArgumentException as {@link #username(String)} and {@link #password(byte[])}
     */
    public Builder credentials(String username, byte[] password) {
      username(username);
      this.password = password == null ? null : ConfigChecks.password(password);
      return this;
    }

    /**
     * @throws IllegalArgumentException when not a valid MQTT string
     */
    public Builder username(String username) {
      this.username = Topics.requireValidString(username, "username");
      return this;
    }

    /**
     * @throws IllegalArgumentException when longer than 65,535 bytes
     */
    public Builder password(byte[] password) {
      this.password = ConfigChecks.password(password);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 3 (MQTT 3.1) or 4 (MQTT 3.1.1)
     */
    public Builder protocolVersion(int protocolVersion) {
      this.protocolVersion = ConfigChecks.protocolVersion(protocolVersion);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 1..65535
     */
    public Builder maxInflight(int maxInflight) {
      this.maxInflight = ConfigChecks.maxInflight(maxInflight);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless at least 1
     */
    public Builder incomingQueueSize(int incomingQueueSize) {
      this.incomingQueueSize = ConfigChecks.atLeast("incoming_queue_size", incomingQueueSize, 1);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless at least 1
     */
    public Builder incomingQueueBytes(int incomingQueueBytes) {
      this.incomingQueueBytes = ConfigChecks.atLeast("incoming_queue_bytes", incomingQueueBytes, 1);
      return this;
    }

    public Builder incomingOverflow(OverflowPolicy incomingOverflow) {
      this.incomingOverflow = Objects.requireNonNull(incomingOverflow, "incoming_overflow");
      return this;
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder operationTimeout(Duration operationTimeout) {
      this.operationTimeout = ConfigChecks.positive("operation_timeout", operationTimeout);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = ConfigChecks.positive("connect_timeout", connectTimeout);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 2..268435460
     */
    public Builder maxPacketSize(int maxPacketSize) {
      this.maxPacketSize = ConfigChecks.maxPacketSize(maxPacketSize);
      return this;
    }

    public Builder reconnectMinInterval(Duration reconnectMinInterval) {
      this.reconnectMinInterval =
          ConfigChecks.positive("reconnect_min_interval", reconnectMinInterval);
      return this;
    }

    public Builder reconnectJitter(double reconnectJitter) {
      this.reconnectJitter = ConfigChecks.fraction("reconnect_jitter", reconnectJitter);
      return this;
    }

    public Builder restoreSubscriptions(boolean restoreSubscriptions) {
      this.restoreSubscriptions = restoreSubscriptions;
      return this;
    }

    public Builder offlineQos0(OfflinePolicy offlineQos0) {
      this.offlineQos0 = Objects.requireNonNull(offlineQos0, "offline_qos0");
      return this;
    }

    public Builder maxQueuedMessages(int maxQueuedMessages) {
      this.maxQueuedMessages =
          ConfigChecks.between("max_queued_messages", maxQueuedMessages, 1, 65_535);
      return this;
    }

    /**
     * @throws IllegalArgumentException unless at least 1
     */
    public Builder maxQueuedBytes(int maxQueuedBytes) {
      this.maxQueuedBytes = ConfigChecks.atLeast("max_queued_bytes", maxQueuedBytes, 1);
      return this;
    }

    public Builder queueOverflow(QueueOverflow queueOverflow) {
      this.queueOverflow = Objects.requireNonNull(queueOverflow, "queue_overflow");
      return this;
    }

    public Builder sessionStore(SessionStore sessionStore) {
      this.sessionStore = Objects.requireNonNull(sessionStore, "session_store");
      return this;
    }

    /** The TLS options of {@code mqtts://} and {@code ssl://} connections. */
    public Builder tls(TlsOptions tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      this.mapTls = null;
      return this;
    }

    /** The builder the config map's TLS keys go to; built into {@link #tls} by {@link #build}. */
    TlsOptions.Builder mapTls() {
      if (mapTls == null) {
        mapTls = tls.toBuilder();
      }
      return mapTls;
    }

    /**
     * The HTTP headers of the WebSocket upgrade request, replacing any set before.
     *
     * @throws IllegalArgumentException when a name is not an HTTP token, is one the handshake sets
     *     itself, or is given twice; or when a value is not printable ASCII
     */
    public Builder extraHeaders(Map<String, String> extraHeaders) {
      this.extraHeaders = ConfigChecks.extraHeaders(extraHeaders);
      return this;
    }

    /**
     * Whether and through which proxy connections reach the broker; {@link ProxyOptions#none()}
     * unless set.
     */
    public Builder proxy(ProxyOptions proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException when {@code ping_delay} is not below a non-zero {@code
     *     keep_alive}, a password is set without a username, or the config map's TLS keys exclude
     *     each other (see {@link TlsOptions.Builder#build()})
     */
    public MqttConfig build() {
      ConfigChecks.pingDelayBelowKeepAlive(pingDelay, keepAlive);
      ConfigChecks.passwordNeedsUsername(password, username);
      if (mapTls != null) {
        tls = mapTls.build();
        mapTls = null;
      }
      return new MqttConfig(this);
    }
  }
}
