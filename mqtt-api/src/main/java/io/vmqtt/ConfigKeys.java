package io.vmqtt;

import io.vmqtt.spi.Authenticator;
import io.vmqtt.spi.SessionStore;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The table of {@link MqttConfig}'s values: one {@link ConfigKey} per value, in the order of the
 * config-map keys (which is the order {@code toString()} prints and the README's configuration
 * table lists them), each with its default, check, map keys, printed form and README row. A new
 * setting is one entry here, an accessor on {@link MqttConfig} and a setter on its builder.
 *
 * <p>Groups: the TLS keys ({@code cafile}, {@code psk_key}...) set one value, {@link TlsOptions},
 * and have a README table of their own ({@link #TLS_TABLE}); the proxy keys set one {@link
 * ProxyOptions}; {@code session_dir} and {@code session_fsync} one {@link SessionStore}; the
 * WebSocket transport's setting is {@code extra_headers}. Keys of a group are checked one by one as
 * the map is read, then put together by the group's combiner.
 *
 * <p>Immutable after class initialization; thread-safe.
 */
final class ConfigKeys {
  private static final List<ConfigKey<?>> KEYS = new ArrayList<>();

  private ConfigKeys() {}

  // --- hbmqtt's keys, with hbmqtt's defaults
  // ------------------------------------------------------

  static final ConfigKey<Duration> KEEP_ALIVE =
      duration("keep_alive", 10, ConfigChecks::keepAlive)
          .row(
              "keepAlive(Duration)",
              "keep-alive interval sent in CONNECT, 0–65535 whole seconds; 0 turns keep-alive off")
          .define();

  static final ConfigKey<Duration> PING_DELAY =
      duration("ping_delay", 1, d -> ConfigChecks.notNegative("ping_delay", d))
          .row(
              "pingDelay(Duration)",
              "PINGREQ goes out when nothing was sent for `keep_alive` − `ping_delay`; must be"
                  + " below `keep_alive`")
          .define();

  static final ConfigKey<QoS> DEFAULT_QOS =
      new Def<>("default_qos", QoS.AT_MOST_ONCE, ConfigMapParser::qos, (q, r) -> q.value())
          .row(
              "defaultQos(QoS)",
              "QoS of `publish(topic, payload)` (and of a `Publish` without one) when `topics` has no"
                  + " QoS for the topic")
          .define();

  static final ConfigKey<Boolean> DEFAULT_RETAIN =
      bool("default_retain", false)
          .row(
              "defaultRetain(boolean)",
              "retain flag of `publish(topic, payload)` (and of a `Publish` without one),"
                  + " likewise")
          .define();

  static final ConfigKey<Boolean> AUTO_RECONNECT =
      bool("auto_reconnect", true)
          .row(
              "autoReconnect(boolean)",
              "reconnect by itself after a lost connection; waiting calls keep waiting (see"
                  + " [Never lose a message](#never-lose-a-message))")
          .define();

  static final ConfigKey<Duration> RECONNECT_MAX_INTERVAL =
      duration(
              "reconnect_max_interval", 10, d -> ConfigChecks.positive("reconnect_max_interval", d))
          .row(
              "reconnectMaxInterval(Duration)",
              "the longest wait between two attempts (automatic or `reconnect()`)")
          .define();

  static final ConfigKey<Integer> RECONNECT_RETRIES =
      integer("reconnect_retries", 2, n -> n)
          .row(
              "reconnectRetries(int)",
              "attempts after the first before giving up; negative = without end")
          .define();

  static final ConfigKey<Boolean> CLEAN_SESSION =
      bool("cleansession", true)
          .row("cleanSession(boolean)", "the clean-session flag of CONNECT")
          .define();

  static final ConfigKey<Will> WILL =
      new Def<Will>("will", null, ConfigMapParser::will, (w, r) -> w)
          .row(
              "will(Will)",
              "last will: a map of `topic`, `message`, `qos`, `retain` (`Will.of(...)` in the"
                  + " builder); MQTT 5's will properties (`Will.builder(topic)`) as"
                  + " `delay_interval` and `message_expiry_interval` (seconds), `content_type`,"
                  + " `response_topic`, `correlation_data`, `payload_utf8` and `user_properties`"
                  + " (a map of name to value, or to a list of values)")
          .define();

  static final ConfigKey<Map<String, MqttConfig.TopicSettings>> TOPICS =
      new Def<Map<String, MqttConfig.TopicSettings>>(
              "topics", Map.of(), null, (t, r) -> new TreeMap<>(t)) // sorted: equal print alike
          .check(t -> Collections.unmodifiableMap(new LinkedHashMap<>(t)))
          .mapKey("topics", ConfigMapParser::topics)
          .row(
              "`topics`",
              "`topic(String, QoS[, boolean])`, `topic(String, TopicSettings)`",
              "none",
              "per topic or topic filter: QoS and/or retain for `publish(topic, payload)` and for"
                  + " what a `Publish` leaves unset; the exact topic wins, then the most specific"
                  + " filter; what the entry leaves out comes from `default_qos`/`default_retain`")
          .define();

  // --- ours: credentials, protocol level, bounds and timeouts ------------------------------------

  static final ConfigKey<String> USERNAME =
      new Def<String>("username", null, ConfigMapParser::string, (u, r) -> u)
          .check(u -> Topics.requireValidString(u, "username"))
          .row(
              "username(String)",
              "user name of CONNECT (the URI's user info and `ConnectOptions` override it)")
          .define();

  static final ConfigKey<byte[]> PASSWORD =
      new Def<byte[]>(
              "password",
              null,
              (p, v) -> ConfigMapParser.bytes(p, v, true),
              (p, redact) -> p == null ? null : redact ? "<redacted>" : ByteBuffer.wrap(p))
          .check(ConfigChecks::password)
          .row(
              "password(byte[])", "password of CONNECT, needs a user name; printed as `<redacted>`")
          .define();

  static final ConfigKey<Integer> PROTOCOL_VERSION =
      integer("protocol_version", 4, ConfigChecks::protocolVersion)
          .row(
              "protocolVersion(int)",
              "4 = MQTT 3.1.1, 3 = MQTT 3.1, 5 = MQTT 5.0 (see [MQTT 5](#mqtt-5))")
          .define();

  static final ConfigKey<Integer> MAX_INFLIGHT =
      integer("max_inflight", 20, ConfigChecks::maxInflight)
          .row(
              "maxInflight(int)",
              "outbound QoS 1/2 publishes on the wire unacknowledged at once, 1–65535; the rest"
                  + " wait in the queue, their callers with them")
          .define();

  static final ConfigKey<Integer> INCOMING_QUEUE_SIZE =
      integer("incoming_queue_size", 10_000, n -> ConfigChecks.atLeast("incoming_queue_size", n, 1))
          .row(
              "incomingQueueSize(int)",
              "received QoS 0 messages held until `deliverMessage`, and in each listener's or"
                  + " stream's queue, at least 1")
          .define();

  static final ConfigKey<Integer> INCOMING_QUEUE_BYTES =
      integer(
              "incoming_queue_bytes",
              16 * 1024 * 1024,
              n -> ConfigChecks.atLeast("incoming_queue_bytes", n, 1))
          .row(
              "incomingQueueBytes(int)",
              "the bytes received messages of every QoS may hold until taken, in all queues"
                  + " together (`deliverMessage`'s, each listener's and stream's; payload and topic,"
                  + " plus 64 each, once per queue), at least 1; a QoS 1/2 message that does not"
                  + " fit stops the reader until messages are taken; one larger message is taken"
                  + " when the queues are empty")
          .define();

  static final ConfigKey<MqttConfig.OverflowPolicy> INCOMING_OVERFLOW =
      choice(
              "incoming_overflow",
              MqttConfig.OverflowPolicy.DROP_OLDEST,
              MqttConfig.OverflowPolicy.class)
          .row(
              "incomingOverflow(OverflowPolicy)",
              "a QoS 0 message that finds its queue full (in messages or bytes): `drop_oldest` or"
                  + " `drop_newest`; counted by `droppedMessages()`")
          .define();

  static final ConfigKey<Boolean> MANUAL_ACK =
      bool("manual_ack", false)
          .row(
              "manualAck(boolean)",
              "paho's name: received QoS 1/2 messages are acknowledged only by"
                  + " `client.ack(message)`, in arrival order (see [Receiving"
                  + " messages](#receiving-messages))")
          .define();

  static final ConfigKey<Duration> OPERATION_TIMEOUT =
      duration("operation_timeout", 30, d -> ConfigChecks.positive("operation_timeout", d))
          .row(
              "operationTimeout(Duration)",
              "bound on every blocking call but `deliverMessage()` (enforced to within 0.1 s)")
          .define();

  static final ConfigKey<Duration> CONNECT_TIMEOUT =
      duration("connect_timeout", 10, d -> ConfigChecks.positive("connect_timeout", d))
          .row("connectTimeout(Duration)", "bound on opening the connection and receiving CONNACK")
          .define();

  static final ConfigKey<Integer> MAX_PACKET_SIZE =
      integer("max_packet_size", 16 * 1024 * 1024, ConfigChecks::maxPacketSize)
          .row(
              "maxPacketSize(int)",
              "largest incoming packet in bytes (16 MiB), fixed header included; 2–268435460;"
                  + " with MQTT 5 sent in CONNECT as Maximum Packet Size")
          .define();

  // --- MQTT 5 (protocol_version 5): what CONNECT asks for ---------------------------------------

  static final ConfigKey<Duration> SESSION_EXPIRY_INTERVAL =
      new Def<Duration>(
              "session_expiry_interval",
              null,
              ConfigMapParser::seconds,
              (d, r) -> d == null ? null : seconds(d))
          .check(ConfigChecks::sessionExpiryInterval)
          .row(
              "`session_expiry_interval`",
              "`sessionExpiryInterval(Duration)`",
              "from `cleansession`",
              "MQTT 5: how long the broker keeps the session after the connection ends, whole"
                  + " seconds 0–4294967295 (never expires); unset: 0 with `cleansession` true,"
                  + " 4294967295 with false")
          .define();

  static final ConfigKey<Integer> RECEIVE_MAXIMUM =
      integer("receive_maximum", 65_535, ConfigChecks::receiveMaximum)
          .row(
              "receiveMaximum(int)",
              "MQTT 5: QoS 1/2 messages the broker may send unacknowledged at once, 1–65535; as"
                  + " they are acknowledged when handled, this also bounds what waits to be taken")
          .define();

  static final ConfigKey<Integer> TOPIC_ALIAS_MAXIMUM =
      integer("topic_alias_maximum", 0, ConfigChecks::topicAliasMaximum)
          .row(
              "topicAliasMaximum(int)",
              "MQTT 5: the highest topic alias the broker may use in what it sends, 0–65535 (0:"
                  + " none)")
          .define();

  static final ConfigKey<Boolean> REQUEST_RESPONSE_INFORMATION =
      bool("request_response_information", false)
          .row(
              "requestResponseInformation(boolean)",
              "MQTT 5: ask the broker for Response Information in CONNACK; `request` then makes its"
                  + " response topics under it (see [Request and response](#request-and-response))")
          .define();

  static final ConfigKey<Integer> OUTBOUND_TOPIC_ALIASES =
      integer("outbound_topic_aliases", 0, ConfigChecks::outboundTopicAliases)
          .row(
              "outboundTopicAliases(int)",
              "MQTT 5: how many topic aliases the client may use in what it publishes, 0–65535 (0:"
                  + " none); at most the broker's Topic Alias Maximum from CONNACK; the most"
                  + " recently used topics keep theirs (see [Topic aliases](#topic-aliases))")
          .define();

  static final ConfigKey<Authenticator> AUTHENTICATOR =
      new Def<Authenticator>(
              "auth_method", null, ConfigMapParser::authenticator, (a, r) -> a.method())
          .row(
              "`auth_method`",
              "`authMethod(String)`, `authenticator(Authenticator)`",
              "none",
              "MQTT 5 enhanced authentication: `SCRAM-SHA-256` (built in, with the connection's"
                  + " user name and password; the password is then never sent), or an"
                  + " `io.vmqtt.spi.Authenticator` of your own (see [Enhanced"
                  + " authentication](#enhanced-authentication))")
          .define();

  // --- resilience: reconnection, offline queueing, session restoration --------------------------

  static final ConfigKey<Duration> RECONNECT_MIN_INTERVAL =
      duration("reconnect_min_interval", 1, d -> ConfigChecks.positive("reconnect_min_interval", d))
          .row(
              "reconnectMinInterval(Duration)",
              "the wait before the first reconnection attempt, doubled after each failed one")
          .define();

  static final ConfigKey<Double> RECONNECT_JITTER =
      new Def<Double>(
              "reconnect_jitter",
              0.5,
              (p, v) -> ConfigMapParser.number(p, v, "a number 0..1"),
              (j, r) -> BigDecimal.valueOf(j))
          .check(j -> ConfigChecks.fraction("reconnect_jitter", j))
          .row(
              "reconnectJitter(double)",
              "each wait is shortened by a random part of up to this fraction, 0–1; 0 = exact"
                  + " waits")
          .define();

  static final ConfigKey<Boolean> RESTORE_SUBSCRIPTIONS =
      bool("restore_subscriptions", true)
          .row(
              "restoreSubscriptions(boolean)",
              "subscribe again after a reconnection that found no session on the broker")
          .define();

  static final ConfigKey<MqttConfig.OfflinePolicy> OFFLINE_QOS0 =
      choice("offline_qos0", MqttConfig.OfflinePolicy.QUEUE, MqttConfig.OfflinePolicy.class)
          .row(
              "offlineQos0(OfflinePolicy)",
              "a QoS 0 publish while reconnecting: `queue` it for after the reconnection, or"
                  + " `fail` with `NotConnectedException`")
          .define();

  static final ConfigKey<Integer> MAX_QUEUED_MESSAGES =
      integer(
              "max_queued_messages",
              1000,
              n -> ConfigChecks.between("max_queued_messages", n, 1, 65_535))
          .row(
              "maxQueuedMessages(int)",
              "messages accepted but not yet written (while reconnecting, or past"
                  + " `max_inflight`), 1–65535")
          .define();

  static final ConfigKey<Integer> MAX_QUEUED_BYTES =
      integer(
              "max_queued_bytes",
              16 * 1024 * 1024,
              n -> ConfigChecks.atLeast("max_queued_bytes", n, 1))
          .row(
              "maxQueuedBytes(int)",
              "the bytes those messages may hold (payload and topic, plus 64 each), at least 1;"
                  + " one larger message is accepted when nothing else waits")
          .define();

  static final ConfigKey<MqttConfig.QueueOverflow> QUEUE_OVERFLOW =
      choice("queue_overflow", MqttConfig.QueueOverflow.BLOCK, MqttConfig.QueueOverflow.class)
          .row(
              "queueOverflow(QueueOverflow)",
              "a publish that finds that queue full: `block` (wait for room within"
                  + " `operation_timeout`) or `fail` at once")
          .define();

  // --- durable sessions: session_dir and session_fsync make one SessionStore --------------------

  static final ConfigKey<SessionStore> SESSION_STORE =
      new Def<SessionStore>("session_store", null, null, (s, r) -> s)
          .mapKey("session_dir", (b, p, v) -> ConfigMapParser.directory(p, v))
          .mapKey(
              "session_fsync",
              (b, p, v) -> ConfigMapParser.choice(p, v, SessionStore.FsyncPolicy.class))
          .combiner(ConfigMapParser::sessionStore)
          .row(
              "`session_dir`, `session_fsync`",
              "`sessionStore(SessionStore)`",
              "none (memory)",
              "keep the session in files in this directory (needs `io.vmqtt:mqtt-session-file`);"
                  + " `session_fsync` `always` (default), `interval` (every 100 ms) or `never`")
          .define();

  // --- TLS: flat as hbmqtt has them, plus ours; gathered into one TlsOptions --------------------

  /**
   * One row of the README's TLS table, with the config-map keys it documents (none for what only
   * the builder sets).
   */
  record TlsEntry(ConfigKey.Row row, List<ConfigKey.MapKey> mapKeys) {}

  /**
   * The TLS keys and the README's TLS table: each key applied to the builder of the TLS options
   * ({@link MqttConfig.Builder#mapTls()}, built by {@link MqttConfig.Builder#build()}).
   */
  static final List<TlsEntry> TLS_TABLE =
      List.of(
          tls(
              "caFile(Path)",
              "none",
              "trusted CA certificates: a PEM file (one or more) or a DER file",
              tlsKey("cafile", (t, p, v) -> t.caFile(ConfigMapParser.path(p, v)))),
          tls(
              "caPath(Path)",
              "none",
              "a directory of PEM (or DER) files with trusted CA certificates; other files are"
                  + " skipped",
              tlsKey("capath", (t, p, v) -> t.caPath(ConfigMapParser.path(p, v)))),
          tls(
              "caData(String)`, `caData(byte[])",
              "none",
              "trusted CA certificates as PEM text or DER bytes",
              tlsKey("cadata", (t, p, v) -> t.caData(ConfigMapParser.bytes(p, v, false)))),
          tls(
              "trustStore(KeyStore)",
              "none",
              "trusted certificates in a `KeyStore`; joins the three above"),
          tls(
              "certFile(Path)",
              "none",
              "the client certificate chain, PEM, leaf first; may hold the private key too",
              tlsKey("certfile", (t, p, v) -> t.certFile(ConfigMapParser.path(p, v)))),
          tls(
              "keyFile(Path)",
              "none",
              "the client's private key: PEM (PKCS#8, PKCS#1 RSA, SEC1 EC, encrypted PKCS#8,"
                  + " OpenSSL-encrypted) or PKCS#8 DER; PKCS#1, SEC1 and OpenSSL-encrypted need"
                  + " `mqtt-tls-bouncycastle`",
              tlsKey("keyfile", (t, p, v) -> t.keyFile(ConfigMapParser.path(p, v)))),
          tls(
              "keyFilePassword(char[])",
              "none",
              "decrypts an encrypted `keyfile`/`keydata` (a `String` or `char[]` in a map);"
                  + " `<redacted>`",
              tlsKey(
                  "keyfile_password",
                  (t, p, v) -> t.keyFilePassword(ConfigMapParser.secretChars(p, v)))),
          tls(
              "certData(String)`, `certData(byte[])",
              "none",
              "the client certificate chain as PEM text or bytes",
              tlsKey("certdata", (t, p, v) -> t.certData(ConfigMapParser.bytes(p, v, false)))),
          tls(
              "keyData(String)`, `keyData(byte[])",
              "none",
              "the client's private key as PEM text or bytes; printed as `<redacted>`",
              tlsKey("keydata", (t, p, v) -> t.keyData(ConfigMapParser.bytes(p, v, true)))),
          tls(
              "keyStore(KeyStore, char[])",
              "none",
              "the client's key and chain in a `KeyStore`, instead of `certfile`/`keyfile`"),
          tls(
              "sslContext(SSLContext)",
              "none",
              "a ready `SSLContext`, used as it is; excludes the trust and key options and"
                  + " `tls_provider`"),
          tls(
              "tlsVersions(String...)",
              "the provider's",
              "`TLSv1.2` and/or `TLSv1.3`: a string or a list (give one of the two keys)",
              tlsKey("tls_version", (t, p, v) -> t.tlsVersions(ConfigMapParser.names(p, v, ","))),
              tlsKey("tls_versions", (t, p, v) -> t.tlsVersions(ConfigMapParser.names(p, v, ",")))),
          tls(
              "ciphers(List<String>)",
              "the provider's",
              "cipher suites by IANA name: a list or a `:`-separated string",
              tlsKey("ciphers", (t, p, v) -> t.ciphers(ConfigMapParser.names(p, v, ":")))),
          tls(
              "alpn(String...)",
              "none",
              "ALPN protocol names, e.g. `x-amzn-mqtt-ca` for AWS IoT on port 443",
              tlsKey("alpn", (t, p, v) -> t.alpn(ConfigMapParser.names(p, v, null)))),
          tls(
              "handshakeTimeout(Duration)",
              ConfigChecks.seconds(TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT),
              "bound on the TLS handshake in seconds (or what is left of `connect_timeout`, if"
                  + " less)",
              tlsKey(
                  "tls_handshake_timeout",
                  (t, p, v) -> t.handshakeTimeout(ConfigMapParser.seconds(p, v)))),
          tls(
              "provider(TlsOptions.Provider)",
              "`jsse`",
              "`jsse` (the JDK's) or `bcjsse` (BouncyCastle's JSSE provider, not installed"
                  + " globally; needs `mqtt-tls-bouncycastle`)",
              tlsKey("tls_provider", (t, p, v) -> t.provider(ConfigMapParser.tlsProvider(p, v)))),
          tls(
              "psk(String, byte[])",
              "none",
              "TLS-PSK identity; with `psk_key`, PSK replaces certificates",
              tlsKey("psk_identity", (t, p, v) -> t.pskIdentity(ConfigMapParser.string(p, v)))),
          tls(
              "psk(String, byte[])",
              "none",
              "the pre-shared key: a hex string or `byte[]`; printed as `<redacted>`",
              tlsKey("psk_key", (t, p, v) -> t.pskKey(ConfigMapParser.pskKey(p, v)))),
          tls(
              "insecureSkipHostnameVerification(boolean)",
              "false",
              "accept the broker's certificate for any host name; logs a warning once per"
                  + " client; only for testing",
              tlsKey(
                  "tls_insecure_skip_hostname_verification",
                  (t, p, v) -> t.insecureSkipHostnameVerification(ConfigMapParser.bool(p, v)))),
          tls(
              null,
              "true",
              "hbmqtt's key: `false` is the same as the insecure switch above, with the same"
                  + " warning",
              tlsKey(
                  "check_hostname",
                  (t, p, v) -> t.insecureSkipHostnameVerification(!ConfigMapParser.bool(p, v)))));

  static final ConfigKey<TlsOptions> TLS =
      new Def<TlsOptions>("tls", TlsOptions.defaults(), null, (t, r) -> t) // redacts itself
          .shownWhen(t -> !t.equals(TlsOptions.defaults()))
          .mapKeys(TLS_TABLE.stream().flatMap(e -> e.mapKeys().stream()).toList())
          .row(
              "`cafile`, `certfile`, `psk_key`, ...",
              "`tls(TlsOptions)`",
              "see [TLS](#tls)",
              "how `mqtts`/`ssl` connections are secured")
          .define();

  /** Keys that set the same value: at most one of each pair may be given. */
  static final List<List<String>> ALIASES =
      List.of(
          List.of("tls_version", "tls_versions"),
          List.of("tls_insecure_skip_hostname_verification", "check_hostname"));

  // --- WebSocket (ws/wss): hbmqtt's connect() argument extra_headers, as a key ------------------

  static final ConfigKey<Map<String, String>> EXTRA_HEADERS =
      new Def<Map<String, String>>(
              "extra_headers",
              Map.of(),
              ConfigMapParser::headers,
              (h, redact) -> redact ? ConfigChecks.redactHeaders(h) : h)
          .check(ConfigChecks::extraHeaders)
          .row(
              "`extra_headers`",
              "`extraHeaders(Map)`",
              "none",
              "`ws`/`wss` only: HTTP headers of the WebSocket upgrade request (hbmqtt's"
                  + " `extra_headers`), a map of name to value; not `Connection`, `Upgrade` or"
                  + " `Sec-WebSocket-*`, values printable ASCII; `Authorization`,"
                  + " `Proxy-Authorization` and `Cookie` print as `<redacted>`")
          .define();

  // --- proxies: paho-python's proxy_set() as keys, or one URL; gathered into one ProxyOptions ---

  static final ConfigKey<ProxyOptions> PROXY =
      new Def<ProxyOptions>("proxy", ProxyOptions.none(), null, (p, r) -> p) // redacts itself
          .shownWhen(p -> p.type() != ProxyOptions.Type.NONE)
          .mapKey("proxy", (b, p, v) -> ConfigMapParser.proxyUrl(p, v))
          .mapKey("proxy_type", (b, p, v) -> ConfigMapParser.proxyType(p, v))
          .mapKey(
              "proxy_host", (b, p, v) -> ProxyOptions.builder().host(ConfigMapParser.string(p, v)))
          .mapKey(
              "proxy_port", (b, p, v) -> ProxyOptions.builder().port(ConfigMapParser.integer(p, v)))
          .mapKey("proxy_username", (b, p, v) -> ConfigMapParser.string(p, v))
          .mapKey("proxy_password", (b, p, v) -> ConfigMapParser.secretChars(p, v))
          .mapKey("proxy_from_system", (b, p, v) -> ConfigMapParser.bool(p, v))
          .combiner(ConfigMapParser::proxy)
          .row(
              "`proxy`",
              "`proxy(ProxyOptions)`",
              "none",
              "the proxy as one URL: `http://[user[:password]@]host[:port]` or `socks5://...`"
                  + " (see [Proxies](#proxies))")
          .row(
              "`proxy_type`",
              "`proxy(ProxyOptions)`",
              "none",
              "`http` (a `CONNECT` tunnel) or `socks5`; with `proxy_host`")
          .row(
              "`proxy_host`",
              "`proxy(ProxyOptions)`",
              "none",
              "the proxy's host name or IP address")
          .row(
              "`proxy_port`",
              "`proxy(ProxyOptions)`",
              "8080 (`http`), 1080 (`socks5`)",
              "the proxy's port, 1–65535")
          .row(
              "`proxy_username`, `proxy_password`",
              "`proxy(ProxyOptions)`",
              "none",
              "credentials for the proxy: HTTP Basic, or SOCKS5 user name and password (RFC"
                  + " 1929); the password a `String` or `char[]`, printed as `<redacted>`")
          .row(
              "`proxy_from_system`",
              "`proxy(ProxyOptions.system())`",
              "false",
              "ask the JVM's `ProxySelector`, then `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`, at each"
                  + " connect")
          .define();

  /** Every value, in order. */
  static final List<ConfigKey<?>> ALL = List.copyOf(KEYS);

  /** The config-map keys, in order, each with how it applies. */
  static final Map<String, ConfigKey.Applier> MAP_KEYS = mapKeys();

  private static Map<String, ConfigKey.Applier> mapKeys() {
    Map<String, ConfigKey.Applier> keys = new LinkedHashMap<>();
    for (ConfigKey<?> key : ALL) {
      for (ConfigKey.MapKey k : key.mapKeys()) {
        if (keys.put(k.name(), k.applier()) != null) {
          throw new AssertionError("config key " + k.name() + " given twice");
        }
      }
    }
    return Collections.unmodifiableMap(keys);
  }

  /** The README's configuration table: header, separator and one line per row. */
  static List<String> readmeConfigTable() {
    List<String> lines = new ArrayList<>(List.of("| key | builder | default | meaning |"));
    lines.add("|---|---|---|---|");
    for (ConfigKey<?> key : ALL) {
      key.rows().forEach(r -> lines.add(r.markdown()));
    }
    return lines;
  }

  /** The README's TLS table: header, separator and one line per row. */
  static List<String> readmeTlsTable() {
    List<String> lines =
        new ArrayList<>(List.of("| key | builder (`TlsOptions.Builder`) | default | meaning |"));
    lines.add("|---|---|---|---|");
    TLS_TABLE.forEach(e -> lines.add(e.row().markdown()));
    return lines;
  }

  /** The defaults, by {@link ConfigKey#index()}. */
  static Object[] defaults() {
    Object[] values = new Object[ALL.size()];
    for (ConfigKey<?> key : ALL) {
      values[key.index()] = key.defaultValue();
    }
    return values;
  }

  // --- how entries are written ------------------------------------------------------------------

  private static Def<Duration> duration(String name, long seconds, UnaryOperator<Duration> check) {
    return new Def<Duration>(
            name, Duration.ofSeconds(seconds), ConfigMapParser::seconds, (d, r) -> seconds(d))
        .check(check);
  }

  private static String seconds(Duration d) {
    return ConfigChecks.seconds(d);
  }

  private static Def<Integer> integer(String name, int value, UnaryOperator<Integer> check) {
    return new Def<Integer>(name, value, ConfigMapParser::integer, (n, r) -> n).check(check);
  }

  private static Def<Boolean> bool(String name, boolean value) {
    return new Def<>(name, value, ConfigMapParser::bool, (b, r) -> b);
  }

  private static <E extends Enum<E>> Def<E> choice(String name, E value, Class<E> type) {
    return new Def<E>(
        name,
        value,
        (p, v) -> ConfigMapParser.choice(p, v, type),
        (e, r) -> e.name().toLowerCase(Locale.ROOT));
  }

  /** Applies one TLS key to the builder of the configuration's TLS options. */
  @FunctionalInterface
  private interface TlsApplier {
    void apply(TlsOptions.Builder tls, String path, Object value);
  }

  private static ConfigKey.MapKey tlsKey(String name, TlsApplier applier) {
    return new ConfigKey.MapKey(name, (b, p, v) -> applier.apply(b.mapTls(), p, v));
  }

  /** A row of the TLS table; {@code builder} null for a key the builder has no setter of. */
  private static TlsEntry tls(
      String builder, String defaultValue, String meaning, ConfigKey.MapKey... keys) {
    String names =
        keys.length == 0
            ? "—"
            : String.join(", ", List.of(keys).stream().map(k -> "`" + k.name() + "`").toList());
    return new TlsEntry(
        new ConfigKey.Row(
            names, builder == null ? "—" : "`" + builder + "`", defaultValue, meaning),
        List.of(keys));
  }

  /**
   * One entry being written: {@link #define()} makes the {@link ConfigKey} and adds it to the
   * table. A plain entry has one map key, its name, read by its reader; a group lists its map keys.
   */
  private static final class Def<T> {
    private final String name;
    private final T defaultValue;
    private final ConfigKey.Reader<T> reader;
    private final ConfigKey.Form<T> form;
    private UnaryOperator<T> check;
    private Predicate<T> shown = v -> true;
    private final List<ConfigKey.MapKey> mapKeys = new ArrayList<>();
    private ConfigKey.Combiner combiner;
    private final List<ConfigKey.Row> rows = new ArrayList<>();

    Def(String name, T defaultValue, ConfigKey.Reader<T> reader, ConfigKey.Form<T> form) {
      this.name = name;
      this.defaultValue = defaultValue;
      this.reader = reader;
      this.form = (v, redact) -> v == null ? null : form.of(v, redact);
      this.check = v -> Objects.requireNonNull(v, name);
    }

    /** The check of a value: null is refused, naming the key, before it runs. */
    Def<T> check(UnaryOperator<T> check) {
      this.check = v -> check.apply(Objects.requireNonNull(v, name));
      return this;
    }

    Def<T> shownWhen(Predicate<T> shown) {
      this.shown = shown;
      return this;
    }

    Def<T> mapKey(String key, ConfigKey.Applier applier) {
      mapKeys.add(new ConfigKey.MapKey(key, applier));
      return this;
    }

    Def<T> mapKeys(List<ConfigKey.MapKey> keys) {
      mapKeys.addAll(keys);
      return this;
    }

    Def<T> combiner(ConfigKey.Combiner combiner) {
      this.combiner = combiner;
      return this;
    }

    /** A row for a plain key: the key and builder setter in backticks, the default as printed. */
    Def<T> row(String builder, String meaning) {
      return row("`" + name + "`", "`" + builder + "`", readmeDefault(), meaning);
    }

    Def<T> row(String keys, String builder, String defaultValue, String meaning) {
      rows.add(new ConfigKey.Row(keys, builder, defaultValue, meaning));
      return this;
    }

    private String readmeDefault() {
      Object printed = form.of(defaultValue, true);
      if (printed == null || (printed instanceof Map<?, ?> m && m.isEmpty())) {
        return "none";
      }
      return defaultValue instanceof Enum<?> && printed instanceof String
          ? "`" + printed + "`"
          : String.valueOf(printed);
    }

    ConfigKey<T> define() {
      List<ConfigKey.MapKey> keys = new ArrayList<>(mapKeys);
      // A plain key's map key sets the key being made: it is filled in below.
      AtomicReference<ConfigKey<T>> self = new AtomicReference<>();
      if (keys.isEmpty()) {
        ConfigKey.Reader<T> r = Objects.requireNonNull(reader, name + " needs a reader");
        keys.add(new ConfigKey.MapKey(name, (b, p, v) -> b.set(self.get(), r.read(p, v))));
      }
      self.set(
          new ConfigKey<>(
              name, KEYS.size(), defaultValue, check, form, shown, keys, combiner, rows));
      KEYS.add(self.get());
      return self.get();
    }
  }
}
