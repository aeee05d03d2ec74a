package io.vmqtt;

import io.vmqtt.spi.SessionStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  /**
   * The values by {@link ConfigKey#index()}, as {@link ConfigKeys} lists them: each checked by its
   * key when it was set, collections unmodifiable. Never written after construction.
   */
  private final Object[] values;

  private MqttConfig(Builder b) {
    this.values = b.values.clone();
  }

  /** The value of {@code key}. */
  @SuppressWarnings("unchecked")
  private <T> T get(ConfigKey<T> key) {
    return (T) values[key.index()];
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
    return get(ConfigKeys.KEEP_ALIVE);
  }

  /**
   * {@code ping_delay}: PINGREQ goes out when nothing was sent for keep_alive − ping_delay. At
   * least 0 and, with keep-alive on, less than keep_alive; default 1 s.
   */
  public Duration pingDelay() {
    return get(ConfigKeys.PING_DELAY);
  }

  /** {@code default_qos}: the QoS of {@code publish(topic, payload)} without a topics entry; 0. */
  public QoS defaultQos() {
    return get(ConfigKeys.DEFAULT_QOS);
  }

  /** {@code default_retain}: the retain flag of {@code publish(topic, payload)} likewise; false. */
  public boolean defaultRetain() {
    return get(ConfigKeys.DEFAULT_RETAIN);
  }

  /** {@code auto_reconnect}: reconnect when the connection is lost; default true. */
  public boolean autoReconnect() {
    return get(ConfigKeys.AUTO_RECONNECT);
  }

  /** {@code reconnect_max_interval}: the longest wait between two attempts; > 0, default 10 s. */
  public Duration reconnectMaxInterval() {
    return get(ConfigKeys.RECONNECT_MAX_INTERVAL);
  }

  /** {@code reconnect_retries}: attempts before giving up; negative means forever; default 2. */
  public int reconnectRetries() {
    return get(ConfigKeys.RECONNECT_RETRIES);
  }

  /** {@code cleansession}: the clean-session flag of CONNECT; default true. */
  public boolean cleanSession() {
    return get(ConfigKeys.CLEAN_SESSION);
  }

  /** {@code will}: the last will, if any; default none. */
  public Optional<Will> will() {
    return Optional.ofNullable(get(ConfigKeys.WILL));
  }

  /** {@code topics}: per-topic (or per-filter) QoS and retain defaults, by topic or filter. */
  public Map<String, TopicSettings> topics() {
    return get(ConfigKeys.TOPICS);
  }

  /** {@code username}: a valid MQTT string; default none. */
  public Optional<String> username() {
    return Optional.ofNullable(get(ConfigKeys.USERNAME));
  }

  /** {@code password}: a copy; at most 65,535 bytes, only with a username; default none. */
  public Optional<byte[]> password() {
    return Optional.ofNullable(get(ConfigKeys.PASSWORD)).map(byte[]::clone);
  }

  /** {@code protocol_version}: 4 (MQTT 3.1.1, the default), 3 (MQTT 3.1) or 5 (MQTT 5.0). */
  public int protocolVersion() {
    return get(ConfigKeys.PROTOCOL_VERSION);
  }

  /** {@code max_inflight}: outbound QoS 1/2 flows at once, 1..65535, default 20; others wait. */
  public int maxInflight() {
    return get(ConfigKeys.MAX_INFLIGHT);
  }

  /**
   * {@code incoming_queue_size}: received QoS 0 messages held for {@code deliverMessage}; 10000.
   */
  public int incomingQueueSize() {
    return get(ConfigKeys.INCOMING_QUEUE_SIZE);
  }

  /**
   * {@code incoming_queue_bytes}: the bytes that received messages of every QoS may hold while they
   * wait for {@code deliverMessage} (payload and topic, plus 64 per message); 16 MiB. When a QoS
   * 1/2 message does not fit, the client stops reading until the application takes messages, so TCP
   * pushes back on the broker; a QoS 0 message that does not fit meets {@link #incomingOverflow()}.
   * A message larger than the whole budget is still taken when the queue is empty.
   */
  public int incomingQueueBytes() {
    return get(ConfigKeys.INCOMING_QUEUE_BYTES);
  }

  /** {@code incoming_overflow}: what becomes of a QoS 0 message finding the queue full. */
  public OverflowPolicy incomingOverflow() {
    return get(ConfigKeys.INCOMING_OVERFLOW);
  }

  /**
   * {@code manual_ack} (paho's name): whether the application acknowledges received QoS 1/2
   * messages itself, with {@code message.ack()} or {@link MqttClient#ack(Message)}; default false.
   * When false, a message is acknowledged when {@code deliverMessage} or {@code pollMessage} hands
   * it over, or when every listener (or stream subscriber) it went to has returned. Either way the
   * acknowledgements go to the broker in the order the messages arrived [MQTT-4.6.0-2]: one that is
   * not yet due holds back those of later messages of its QoS.
   */
  public boolean manualAck() {
    return get(ConfigKeys.MANUAL_ACK);
  }

  /** {@code operation_timeout}: bounds every blocking call but {@code deliverMessage()}; 30 s. */
  public Duration operationTimeout() {
    return get(ConfigKeys.OPERATION_TIMEOUT);
  }

  /** {@code connect_timeout}: bounds opening the connection and receiving CONNACK; 10 s. */
  public Duration connectTimeout() {
    return get(ConfigKeys.CONNECT_TIMEOUT);
  }

  /**
   * {@code max_packet_size}: the largest incoming packet, fixed header included, in bytes;
   * 2..268435460, default 16 MiB.
   */
  public int maxPacketSize() {
    return get(ConfigKeys.MAX_PACKET_SIZE);
  }

  /**
   * {@code session_expiry_interval} (MQTT 5): how long the broker keeps the session after the
   * connection ends, sent in CONNECT; whole seconds up to 4294967295 (never expires). Empty (the
   * default): from {@code cleansession}, as the MQTT 5 specification's migration note maps it:
   * {@code cleansession} true is 0 (the session ends with the connection), false is 4294967295.
   */
  public Optional<Duration> sessionExpiryInterval() {
    return Optional.ofNullable(get(ConfigKeys.SESSION_EXPIRY_INTERVAL));
  }

  /**
   * {@code receive_maximum} (MQTT 5): how many QoS 1 and 2 messages the broker may send this client
   * unacknowledged at once, 1..65535, default 65535.
   */
  public int receiveMaximum() {
    return get(ConfigKeys.RECEIVE_MAXIMUM);
  }

  /**
   * {@code topic_alias_maximum} (MQTT 5): the highest topic alias the broker may use in what it
   * sends this client, 0..65535, default 0 (none).
   */
  public int topicAliasMaximum() {
    return get(ConfigKeys.TOPIC_ALIAS_MAXIMUM);
  }

  /**
   * {@code request_response_information} (MQTT 5): whether CONNECT asks the broker for Response
   * Information, the basis of the response topics of {@link MqttClient#request}; default false.
   */
  public boolean requestResponseInformation() {
    return get(ConfigKeys.REQUEST_RESPONSE_INFORMATION);
  }

  /**
   * {@code outbound_topic_aliases} (MQTT 5): how many topic aliases the client may use in the
   * PUBLISH packets it sends, bounded on each connection by the broker's Topic Alias Maximum;
   * 0..65535, default 0 (none).
   */
  public int outboundTopicAliases() {
    return get(ConfigKeys.OUTBOUND_TOPIC_ALIASES);
  }

  /**
   * {@code auth_method} (MQTT 5): the enhanced authentication method, if any: the built-in {@code
   * SCRAM-SHA-256} or an {@link io.vmqtt.spi.Authenticator} of the application's.
   */
  public Optional<io.vmqtt.spi.Authenticator> authenticator() {
    return Optional.ofNullable(get(ConfigKeys.AUTHENTICATOR));
  }

  /**
   * {@code reconnect_min_interval}: the first wait between automatic reconnection attempts, doubled
   * after each failed one up to {@code reconnect_max_interval} (which also caps this first wait);
   * default 1 s. With a minimum of 1 s, a maximum of 60 s and no jitter this is the DL-7450
   * schedule: 1, 2, 4, 8, 16, 32, 60, 60... s.
   */
  public Duration reconnectMinInterval() {
    return get(ConfigKeys.RECONNECT_MIN_INTERVAL);
  }

  /**
   * {@code reconnect_jitter}: each wait is shortened by a random part of up to this fraction, so
   * clients cut at the same moment do not retry in lock-step; 0..1, default 0.5; 0 = exact waits.
   */
  public double reconnectJitter() {
    return get(ConfigKeys.RECONNECT_JITTER);
  }

  /**
   * {@code restore_subscriptions}: when the broker reports no session after a reconnection, the
   * client subscribes again to what it was subscribed to; default true.
   */
  public boolean restoreSubscriptions() {
    return get(ConfigKeys.RESTORE_SUBSCRIPTIONS);
  }

  /**
   * {@code offline_qos0}: a QoS 0 publish while the client reconnects is queued and sent after the
   * reconnection ({@code queue}, the default) or fails at once ({@code fail}).
   */
  public OfflinePolicy offlineQos0() {
    return get(ConfigKeys.OFFLINE_QOS0);
  }

  /**
   * {@code max_queued_messages}: outbound messages accepted but not yet sent (while reconnecting,
   * or waiting for the in-flight window), 1..65535, default 1000.
   */
  public int maxQueuedMessages() {
    return get(ConfigKeys.MAX_QUEUED_MESSAGES);
  }

  /**
   * {@code max_queued_bytes}: the bytes (payload and topic, plus 64 per message) that the outbound
   * messages accepted but not yet sent may hold, at least 1, default 16 MiB. A QoS 0 message queued
   * while the client reconnects is held after its {@code publish} returned, so a bound in messages
   * alone would let a few large ones take the heap. One message larger than this is accepted when
   * nothing else waits.
   */
  public int maxQueuedBytes() {
    return get(ConfigKeys.MAX_QUEUED_BYTES);
  }

  /** {@code queue_overflow}: what a publish does when the outbound queue is full. */
  public QueueOverflow queueOverflow() {
    return get(ConfigKeys.QUEUE_OVERFLOW);
  }

  /**
   * The {@link SessionStore} that keeps the session state; when absent, each client keeps its own
   * in memory. In a map: {@code session_dir} (and {@code session_fsync}) for a file store.
   */
  public Optional<SessionStore> sessionStore() {
    return Optional.ofNullable(get(ConfigKeys.SESSION_STORE));
  }

  /**
   * The TLS options of {@code mqtts://}, {@code ssl://} and {@code wss://} connections (the keys
   * {@code cafile}, {@code certfile}, {@code psk_identity}... listed on {@link TlsOptions}; TLS-PSK
   * is for {@code mqtts}/{@code ssl} only); {@link TlsOptions#defaults()} unless set. {@link
   * ConnectOptions#tls()} overrides them for one connection.
   */
  public TlsOptions tls() {
    return get(ConfigKeys.TLS);
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
    return get(ConfigKeys.EXTRA_HEADERS);
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
    return get(ConfigKeys.PROXY);
  }

  /**
   * The QoS {@code publish(topic, payload)} uses for this topic: the exact {@code topics} entry,
   * else the most specific matching filter entry, else {@code default_qos}.
   */
  public QoS qosFor(String topic) {
    TopicSettings s = Topics.mostSpecific(topics(), topic);
    return s != null && s.qos != null ? s.qos : defaultQos();
  }

  /** The retain flag {@code publish(topic, payload)} uses for this topic, found likewise. */
  public boolean retainFor(String topic) {
    TopicSettings s = Topics.mostSpecific(topics(), topic);
    return s != null && s.retain != null ? s.retain : defaultRetain();
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
   * The values by name, in the order of {@link ConfigKeys}, in forms that are equal when the values
   * are ({@link ConfigKey#form}): times as exact decimal seconds, the password as a {@link
   * java.nio.ByteBuffer} (compared by content) or redacted, and with it the values of credential
   * headers ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}).
   */
  private Map<String, Object> values(boolean redact) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      put(m, key, redact);
    }
    return m;
  }

  private <T> void put(Map<String, Object> m, ConfigKey<T> key, boolean redact) {
    T value = get(key);
    if (value == null || key.shown(value)) {
      m.put(key.name(), key.form(value, redact));
    }
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
    /** The values by {@link ConfigKey#index()}; the defaults until set. */
    private final Object[] values = ConfigKeys.defaults();

    /** The TLS keys of a config map, gathered by {@link ConfigMapParser}; null when none. */
    private TlsOptions.Builder mapTls;

    private Builder() {}

    /**
     * @throws IllegalArgumentException unless 0..65535 whole seconds
     */
    public Builder keepAlive(Duration keepAlive) {
      return set(ConfigKeys.KEEP_ALIVE, keepAlive);
    }

    /**
     * @throws IllegalArgumentException when negative (or, at build, not below keep_alive)
     */
    public Builder pingDelay(Duration pingDelay) {
      return set(ConfigKeys.PING_DELAY, pingDelay);
    }

    public Builder defaultQos(QoS defaultQos) {
      return set(ConfigKeys.DEFAULT_QOS, defaultQos);
    }

    public Builder defaultRetain(boolean defaultRetain) {
      return set(ConfigKeys.DEFAULT_RETAIN, defaultRetain);
    }

    public Builder autoReconnect(boolean autoReconnect) {
      return set(ConfigKeys.AUTO_RECONNECT, autoReconnect);
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder reconnectMaxInterval(Duration reconnectMaxInterval) {
      return set(ConfigKeys.RECONNECT_MAX_INTERVAL, reconnectMaxInterval);
    }

    /** Any number: negative retries forever. */
    public Builder reconnectRetries(int reconnectRetries) {
      return set(ConfigKeys.RECONNECT_RETRIES, reconnectRetries);
    }

    public Builder cleanSession(boolean cleanSession) {
      return set(ConfigKeys.CLEAN_SESSION, cleanSession);
    }

    public Builder will(Will will) {
      return set(ConfigKeys.WILL, will);
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
      Map<String, TopicSettings> topics = new LinkedHashMap<>(get(ConfigKeys.TOPICS));
      topics.put(Topics.requireValidFilter(topicOrFilter, "topics key"), settings);
      return set(ConfigKeys.TOPICS, topics);
    }

    /**
     * The user name and, when not null, the password.
     *
     * @throws IllegalArgumentException as {@link #username(String)} and {@link #password(byte[])}
     */
    public Builder credentials(String username, byte[] password) {
      username(username);
      return password == null ? clear(ConfigKeys.PASSWORD) : password(password);
    }

    /**
     * @throws IllegalArgumentException when not a valid MQTT string
     */
    public Builder username(String username) {
      return set(ConfigKeys.USERNAME, username);
    }

    /**
     * @throws IllegalArgumentException when longer than 65,535 bytes
     */
    public Builder password(byte[] password) {
      return set(ConfigKeys.PASSWORD, password);
    }

    /**
     * @throws IllegalArgumentException unless 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)
     */
    public Builder protocolVersion(int protocolVersion) {
      return set(ConfigKeys.PROTOCOL_VERSION, protocolVersion);
    }

    /**
     * @throws IllegalArgumentException unless 1..65535
     */
    public Builder maxInflight(int maxInflight) {
      return set(ConfigKeys.MAX_INFLIGHT, maxInflight);
    }

    /**
     * @throws IllegalArgumentException unless at least 1
     */
    public Builder incomingQueueSize(int incomingQueueSize) {
      return set(ConfigKeys.INCOMING_QUEUE_SIZE, incomingQueueSize);
    }

    /**
     * @throws IllegalArgumentException unless at least 1
     */
    public Builder incomingQueueBytes(int incomingQueueBytes) {
      return set(ConfigKeys.INCOMING_QUEUE_BYTES, incomingQueueBytes);
    }

    public Builder incomingOverflow(OverflowPolicy incomingOverflow) {
      return set(ConfigKeys.INCOMING_OVERFLOW, incomingOverflow);
    }

    /** See {@link MqttConfig#manualAck()}. */
    public Builder manualAck(boolean manualAck) {
      return set(ConfigKeys.MANUAL_ACK, manualAck);
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder operationTimeout(Duration operationTimeout) {
      return set(ConfigKeys.OPERATION_TIMEOUT, operationTimeout);
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder connectTimeout(Duration connectTimeout) {
      return set(ConfigKeys.CONNECT_TIMEOUT, connectTimeout);
    }

    /**
     * @throws IllegalArgumentException unless 2..268435460
     */
    public Builder maxPacketSize(int maxPacketSize) {
      return set(ConfigKeys.MAX_PACKET_SIZE, maxPacketSize);
    }

    /**
     * MQTT 5's Session Expiry Interval of CONNECT, in place of the one {@code cleansession} maps
     * to.
     *
     * @throws IllegalArgumentException unless whole seconds 0..4294967295
     */
    public Builder sessionExpiryInterval(Duration sessionExpiryInterval) {
      return set(ConfigKeys.SESSION_EXPIRY_INTERVAL, sessionExpiryInterval);
    }

    /**
     * MQTT 5's Receive Maximum of CONNECT.
     *
     * @throws IllegalArgumentException unless 1..65535
     */
    public Builder receiveMaximum(int receiveMaximum) {
      return set(ConfigKeys.RECEIVE_MAXIMUM, receiveMaximum);
    }

    /**
     * MQTT 5's Topic Alias Maximum of CONNECT: the broker may stand aliases for topic names.
     *
     * @throws IllegalArgumentException unless 0..65535
     */
    public Builder topicAliasMaximum(int topicAliasMaximum) {
      return set(ConfigKeys.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum);
    }

    /** MQTT 5's Request Response Information of CONNECT: see {@link MqttClient#request}. */
    public Builder requestResponseInformation(boolean request) {
      return set(ConfigKeys.REQUEST_RESPONSE_INFORMATION, request);
    }

    /**
     * MQTT 5: how many topic aliases the client may use when publishing (0: none).
     *
     * @throws IllegalArgumentException unless 0..65535
     */
    public Builder outboundTopicAliases(int aliases) {
      return set(ConfigKeys.OUTBOUND_TOPIC_ALIASES, aliases);
    }

    /**
     * MQTT 5 enhanced authentication with a built-in method: {@code SCRAM-SHA-256}.
     *
     * @throws IllegalArgumentException for a name that is not built in
     */
    public Builder authMethod(String method) {
      return set(
          ConfigKeys.AUTHENTICATOR,
          ConfigChecks.builtInAuthenticator(
              "auth_method", java.util.Objects.requireNonNull(method, "auth_method")));
    }

    /** MQTT 5 enhanced authentication with a method of the application's. */
    public Builder authenticator(io.vmqtt.spi.Authenticator authenticator) {
      return set(ConfigKeys.AUTHENTICATOR, authenticator);
    }

    public Builder reconnectMinInterval(Duration reconnectMinInterval) {
      return set(ConfigKeys.RECONNECT_MIN_INTERVAL, reconnectMinInterval);
    }

    public Builder reconnectJitter(double reconnectJitter) {
      return set(ConfigKeys.RECONNECT_JITTER, reconnectJitter);
    }

    public Builder restoreSubscriptions(boolean restoreSubscriptions) {
      return set(ConfigKeys.RESTORE_SUBSCRIPTIONS, restoreSubscriptions);
    }

    public Builder offlineQos0(OfflinePolicy offlineQos0) {
      return set(ConfigKeys.OFFLINE_QOS0, offlineQos0);
    }

    public Builder maxQueuedMessages(int maxQueuedMessages) {
      return set(ConfigKeys.MAX_QUEUED_MESSAGES, maxQueuedMessages);
    }

    /**
     * @throws IllegalArgumentException unless at least 1
     */
    public Builder maxQueuedBytes(int maxQueuedBytes) {
      return set(ConfigKeys.MAX_QUEUED_BYTES, maxQueuedBytes);
    }

    public Builder queueOverflow(QueueOverflow queueOverflow) {
      return set(ConfigKeys.QUEUE_OVERFLOW, queueOverflow);
    }

    public Builder sessionStore(SessionStore sessionStore) {
      return set(ConfigKeys.SESSION_STORE, sessionStore);
    }

    /** The TLS options of {@code mqtts://} and {@code ssl://} connections. */
    public Builder tls(TlsOptions tls) {
      set(ConfigKeys.TLS, tls);
      this.mapTls = null;
      return this;
    }

    /** The builder the config map's TLS keys go to; built into {@link #tls} by {@link #build}. */
    TlsOptions.Builder mapTls() {
      if (mapTls == null) {
        mapTls = get(ConfigKeys.TLS).toBuilder();
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
      return set(ConfigKeys.EXTRA_HEADERS, extraHeaders);
    }

    /**
     * Whether and through which proxy connections reach the broker; {@link ProxyOptions#none()}
     * unless set.
     */
    public Builder proxy(ProxyOptions proxy) {
      return set(ConfigKeys.PROXY, proxy);
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException when {@code ping_delay} is not below a non-zero {@code
     *     keep_alive}, a password is set without a username, or the config map's TLS keys exclude
     *     each other (see {@link TlsOptions.Builder#build()})
     */
    public MqttConfig build() {
      ConfigChecks.pingDelayBelowKeepAlive(get(ConfigKeys.PING_DELAY), get(ConfigKeys.KEEP_ALIVE));
      ConfigChecks.passwordNeedsUsername(get(ConfigKeys.PASSWORD), get(ConfigKeys.USERNAME));
      if (mapTls != null) {
        set(ConfigKeys.TLS, mapTls.build());
        mapTls = null;
      }
      return new MqttConfig(this);
    }

    /**
     * Sets a value through its key's check ({@link ConfigKey#check}).
     *
     * @throws IllegalArgumentException naming the key, when the value is out of range
     * @throws NullPointerException naming the key, when it is null
     */
    <T> Builder set(ConfigKey<T> key, T value) {
      values[key.index()] = key.check(value);
      return this;
    }

    /** Sets an optional value back to absent. */
    private Builder clear(ConfigKey<?> key) {
      values[key.index()] = null;
      return this;
    }

    @SuppressWarnings("unchecked")
    private <T> T get(ConfigKey<T> key) {
      return (T) values[key.index()];
    }
  }
}
