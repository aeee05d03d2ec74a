package io.vmqtt;

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
  private final OverflowPolicy incomingOverflow;
  private final Duration operationTimeout;
  private final Duration connectTimeout;
  private final int maxPacketSize;

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
    this.topics = Map.copyOf(b.topics);
    this.username = b.username;
    this.password = b.password;
    this.protocolVersion = b.protocolVersion;
    this.maxInflight = b.maxInflight;
    this.incomingQueueSize = b.incomingQueueSize;
    this.incomingOverflow = b.incomingOverflow;
    this.operationTimeout = b.operationTimeout;
    this.connectTimeout = b.connectTimeout;
    this.maxPacketSize = b.maxPacketSize;
  }

  /** The defaults: every key at its documented default. */
  public static MqttConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code keep_alive}: the keep-alive interval sent in CONNECT; zero turns keep-alive off. */
  public Duration keepAlive() {
    return keepAlive;
  }

  /** {@code ping_delay}: PINGREQ goes out when nothing was sent for keep_alive − ping_delay. */
  public Duration pingDelay() {
    return pingDelay;
  }

  /** {@code default_qos}: the QoS of {@code publish(topic, payload)} without a topics entry. */
  public QoS defaultQos() {
    return defaultQos;
  }

  /** {@code default_retain}: the retain flag of {@code publish(topic, payload)} likewise. */
  public boolean defaultRetain() {
    return defaultRetain;
  }

  /** {@code auto_reconnect}. */
  public boolean autoReconnect() {
    return autoReconnect;
  }

  /** {@code reconnect_max_interval}: the longest wait between two connection attempts. */
  public Duration reconnectMaxInterval() {
    return reconnectMaxInterval;
  }

  /** {@code reconnect_retries}: attempts before giving up; negative means forever. */
  public int reconnectRetries() {
    return reconnectRetries;
  }

  /** {@code cleansession}: the clean-session flag of CONNECT. */
  public boolean cleanSession() {
    return cleanSession;
  }

  /** {@code will}: the last will, if any. */
  public Optional<Will> will() {
    return Optional.ofNullable(will);
  }

  /** {@code topics}: per-topic (or per-filter) QoS and retain defaults, by topic or filter. */
  public Map<String, TopicSettings> topics() {
    return topics;
  }

  /** {@code username}. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** {@code password}: a copy. */
  public Optional<byte[]> password() {
    return Optional.ofNullable(password).map(byte[]::clone);
  }

  /** {@code protocol_version}: 4 (MQTT 3.1.1) or 3 (MQTT 3.1). */
  public int protocolVersion() {
    return protocolVersion;
  }

  /** {@code max_inflight}: outbound QoS 1/2 flows in flight at once; callers past it wait. */
  public int maxInflight() {
    return maxInflight;
  }

  /** {@code incoming_queue_size}: received QoS 0 messages held until {@code deliverMessage}. */
  public int incomingQueueSize() {
    return incomingQueueSize;
  }

  /** {@code incoming_overflow}: what happens to a QoS 0 message that finds the queue full. */
  public OverflowPolicy incomingOverflow() {
    return incomingOverflow;
  }

  /** {@code operation_timeout}: the bound on every blocking call but {@code deliverMessage()}. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** {@code connect_timeout}: the bound on opening the connection and receiving CONNACK. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** {@code max_packet_size}: the largest incoming packet, fixed header included, in bytes. */
  public int maxPacketSize() {
    return maxPacketSize;
  }

  /**
   * The QoS {@code publish(topic, payload)} uses for this topic: the exact {@code topics} entry,
   * else the most specific matching filter entry, else {@code default_qos}.
   */
  public QoS qosFor(String topic) {
    TopicSettings s = settingsFor(topic);
    return s != null && s.qos() != null ? s.qos() : defaultQos;
  }

  /** The retain flag {@code publish(topic, payload)} uses for this topic, found likewise. */
  public boolean retainFor(String topic) {
    TopicSettings s = settingsFor(topic);
    return s != null && s.retain() != null ? s.retain() : defaultRetain;
  }

  private TopicSettings settingsFor(String topic) {
    TopicSettings exact = topics.get(topic);
    if (exact != null || topics.isEmpty()) {
      return exact;
    }
    String best = null;
    for (String filter : topics.keySet()) {
      if (Topics.isFilterWithWildcards(filter)
          && Topics.matches(filter, topic)
          && (best == null || moreSpecific(filter, best))) {
        best = filter;
      }
    }
    return best == null ? null : topics.get(best);
  }

  /**
   * Whether filter {@code a} is more specific than {@code b}: compared level by level, a literal
   * level beats {@code +}, which beats {@code #}; then the longer filter wins.
   */
  static boolean moreSpecific(String a, String b) {
    String[] la = a.split("/", -1);
    String[] lb = b.split("/", -1);
    for (int i = 0; i < Math.min(la.length, lb.length); i++) {
      int ra = rank(la[i]);
      int rb = rank(lb[i]);
      if (ra != rb) {
        return ra > rb;
      }
    }
    if (la.length != lb.length) {
      return la.length > lb.length;
    }
    return a.compareTo(b) < 0;
  }

  private static int rank(String level) {
    return switch (level) {
      case "#" -> 0;
      case "+" -> 1;
      default -> 2;
    };
  }

  @Override
  public String toString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keep_alive", keepAlive.toSeconds());
    m.put("ping_delay", pingDelay.toMillis() / 1000.0);
    m.put("default_qos", defaultQos.value());
    m.put("default_retain", defaultRetain);
    m.put("auto_reconnect", autoReconnect);
    m.put("reconnect_max_interval", reconnectMaxInterval.toMillis() / 1000.0);
    m.put("reconnect_retries", reconnectRetries);
    m.put("cleansession", cleanSession);
    m.put("will", will);
    m.put("topics", topics);
    m.put("username", username);
    m.put("password", password == null ? null : "<redacted>");
    m.put("protocol_version", protocolVersion);
    m.put("max_inflight", maxInflight);
    m.put("incoming_queue_size", incomingQueueSize);
    m.put("incoming_overflow", incomingOverflow);
    m.put("operation_timeout", operationTimeout.toMillis() / 1000.0);
    m.put("connect_timeout", connectTimeout.toMillis() / 1000.0);
    m.put("max_packet_size", maxPacketSize);
    return "MqttConfig" + m;
  }

  /**
   * QoS and retain defaults for one topic or topic filter; a null field falls back to {@code
   * default_qos} / {@code default_retain}.
   *
   * @param qos the QoS, or null to use {@code default_qos}
   * @param retain the retain flag, or null to use {@code default_retain}
   */
  public record TopicSettings(QoS qos, Boolean retain) {}

  /** What happens to a received QoS 0 message that finds the incoming queue full. */
  public enum OverflowPolicy {
    /** Discard the oldest queued QoS 0 message to make room (the default). */
    DROP_OLDEST,
    /** Discard the new message. */
    DROP_NEWEST
  }

  /** Builds {@link MqttConfig}; each setter validates its argument. Not thread-safe. */
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
    private OverflowPolicy incomingOverflow = OverflowPolicy.DROP_OLDEST;
    private Duration operationTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxPacketSize = 16 * 1024 * 1024;

    private Builder() {}

    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
      return this;
    }

    public Builder pingDelay(Duration pingDelay) {
      this.pingDelay = Objects.requireNonNull(pingDelay, "pingDelay");
      return this;
    }

    public Builder defaultQos(QoS defaultQos) {
      this.defaultQos = Objects.requireNonNull(defaultQos, "defaultQos");
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

    public Builder reconnectMaxInterval(Duration reconnectMaxInterval) {
      this.reconnectMaxInterval = Objects.requireNonNull(reconnectMaxInterval);
      return this;
    }

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

    /** Publishes to this topic (or topics matching this filter) use this QoS. */
    public Builder topic(String topicOrFilter, QoS qos) {
      topics.put(topicOrFilter, new TopicSettings(Objects.requireNonNull(qos, "qos"), null));
      return this;
    }

    /** Publishes to this topic (or topics matching this filter) use this QoS and retain flag. */
    public Builder topic(String topicOrFilter, QoS qos, boolean retain) {
      topics.put(topicOrFilter, new TopicSettings(Objects.requireNonNull(qos, "qos"), retain));
      return this;
    }

    public Builder credentials(String username, byte[] password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = password == null ? null : password.clone();
      return this;
    }

    public Builder protocolVersion(int protocolVersion) {
      this.protocolVersion = protocolVersion;
      return this;
    }

    public Builder maxInflight(int maxInflight) {
      this.maxInflight = maxInflight;
      return this;
    }

    public Builder incomingQueueSize(int incomingQueueSize) {
      this.incomingQueueSize = incomingQueueSize;
      return this;
    }

    public Builder incomingOverflow(OverflowPolicy incomingOverflow) {
      this.incomingOverflow = Objects.requireNonNull(incomingOverflow, "incomingOverflow");
      return this;
    }

    public Builder operationTimeout(Duration operationTimeout) {
      this.operationTimeout = Objects.requireNonNull(operationTimeout, "operationTimeout");
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    public Builder maxPacketSize(int maxPacketSize) {
      this.maxPacketSize = maxPacketSize;
      return this;
    }

    public MqttConfig build() {
      return new MqttConfig(this);
    }
  }
}
