package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionListener;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.ConnectionState;
import io.vmqtt.DisconnectOptions;
import io.vmqtt.ListenerRegistration;
import io.vmqtt.Message;
import io.vmqtt.MessageListener;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.NotConnectedException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.Publish;
import io.vmqtt.PublishRefusedException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import io.vmqtt.Will;
import io.vmqtt.vthreads.internal.codec.MqttLimits;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubackPacket;
import io.vmqtt.vthreads.internal.codec.UnsubscribePacket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link MqttClient} on virtual threads: the facade. Each call validates its arguments,
 * describes itself (for messages), hands its work to the part that does it—{@link Lifecycle} for
 * the connection, {@link Session} for outbound flows, {@link InboundDelivery} for received
 * messages—waits in the caller's thread, and translates what ends the wait into the API's
 * exceptions ({@link #await}).
 *
 * <p>Thread-safe; holds no lock of its own.
 */
public final class DefaultMqttClient implements MqttClient {
  private static final String STAYS =
      ", still in the session: it is sent and completed when the connection allows";

  private final String clientId;
  private final MqttConfig config;
  private final Session session;
  private final InboundDelivery delivery;
  private final Lifecycle lifecycle;
  private final Dispatcher events;
  private final InsecureTlsWarning insecureTls;

  /** Made by the first {@link #request} ({@link #requests()}): most clients never request. */
  private volatile Requests requests;

  private static final VarHandle REQUESTS;

  static {
    try {
      REQUESTS =
          MethodHandles.lookup().findVarHandle(DefaultMqttClient.class, "requests", Requests.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public DefaultMqttClient(String clientId, MqttConfig config) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.config = Objects.requireNonNull(config, "config");
    PacketTrace trace = new PacketTrace(clientId.isEmpty() ? "<empty client id>" : clientId);
    this.session =
        new Session(
            clientId,
            config,
            clientId.isEmpty() ? NoStore.INSTANCE : SessionStores.open(clientId, config),
            Ticker.INSTANCE,
            System::nanoTime);
    this.events = new Dispatcher(clientId);
    this.delivery = new InboundDelivery(clientId, config, session, events);
    this.lifecycle = new Lifecycle(clientId, config, trace, session, delivery, events);
    this.insecureTls = new InsecureTlsWarning(clientId);
  }

  /** The requests part, made once, by whichever request comes first. */
  private Requests requests() {
    Requests r = requests;
    if (r != null) {
      return r;
    }
    Requests made =
        new Requests(
            clientId,
            new Requests.Client() {
              @Override
              public List<Integer> subscribe(List<Subscription> subscriptions)
                  throws InterruptedException {
                return DefaultMqttClient.this.subscribe(subscriptions);
              }

              @Override
              public ListenerRegistration addListener(
                  MessageSelector selector, MessageListener listener) {
                return delivery.addListener(selector, listener);
              }

              @Override
              public void ack(Message message) {
                delivery.ack(message);
              }

              @Override
              public void addConnectionListener(ConnectionListener listener) {
                events.addConnectionListener(listener);
              }
            },
            config.autoReconnect());
    Requests raced = (Requests) REQUESTS.compareAndExchange(this, null, made);
    return raced != null ? raced : made;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public MqttConfig config() {
    return config;
  }

  @Override
  public Connack connect(String uri, ConnectOptions options) throws InterruptedException {
    Objects.requireNonNull(options, "options");
    BrokerAddress address = BrokerAddress.parse(uri);
    int level = options.protocolVersion().orElse(config.protocolVersion());
    if (level < 5 && !options.userProperties().isEmpty()) {
      throw new IllegalArgumentException(
          "user properties of CONNECT need protocol_version 5 (MQTT 5.0), was "
              + level
              + ": MQTT 3.1/3.1.1 has no properties");
    }
    if (level < 5 && config.will().filter(Will::hasMqtt5Properties).isPresent()) {
      throw new IllegalArgumentException(
          "the will's MQTT 5 properties ("
              + config.will().get()
              + ") need protocol_version 5 (MQTT 5.0), was "
              + level
              + ": MQTT 3.1/3.1.1 has no Will Properties");
    }
    if (level < 5 && config.authenticator().isPresent()) {
      throw new IllegalArgumentException(
          "auth_method "
              + config.authenticator().get().method()
              + " needs protocol_version 5 (MQTT 5.0 enhanced authentication), was "
              + level);
    }
    insecureTls.check(options.tls().orElse(config.tls()));
    return lifecycle.connect(address, options);
  }

  @Override
  public Connack reconnect() throws InterruptedException {
    return lifecycle.reconnect();
  }

  @Override
  public PublishResult publish(String topic, byte[] payload) throws InterruptedException {
    Topics.requireValidName(topic, "topic");
    return publish(topic, payload, config.qosFor(topic), config.retainFor(topic));
  }

  @Override
  public PublishResult publish(String topic, byte[] payload, QoS qos, boolean retain)
      throws InterruptedException {
    Topics.requireValidName(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
    return publish(topic, payload, qos, retain, Properties.EMPTY);
  }

  @Override
  public PublishResult publish(Publish message) throws InterruptedException {
    Objects.requireNonNull(message, "message");
    String topic = message.topic();
    QoS qos = message.qos().orElseGet(() -> config.qosFor(topic));
    boolean retain = message.retain().orElseGet(() -> config.retainFor(topic));
    Properties properties = Properties.EMPTY;
    if (message.hasMqtt5Properties()) {
      ConnectionSettings s = lifecycle.settings();
      ProtocolLevel level = s != null ? s.level() : ProtocolLevel.of(config.protocolVersion());
      if (level != ProtocolLevel.MQTT_5) {
        throw new MqttException(
            "publish to '"
                + topic
                + "' failed before sending: MQTT 5 properties ("
                + message
                + ") need protocol_version 5; the connection speaks "
                + level);
      }
      properties = OutboundProperties.of(message);
    }
    return publish(topic, message.payload(), qos, retain, properties);
  }

  /**
   * Publishes one message; the PUBLISH packet is made once, with the packet id of its flow (no
   * template copied per call: this is the hot path of every publish).
   */
  private PublishResult publish(
      String topic, byte[] payload, QoS qos, boolean retain, Properties properties)
      throws InterruptedException {
    requireFits(topic, payload);
    requireOpen();
    What what = () -> "publish to '" + topic + "' at QoS " + qos.value();
    requireAllowed(topic, payload, qos, retain, properties, what);
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    if (qos == QoS.AT_MOST_ONCE) {
      publishQos0(
          new PublishPacket(topic, payload, qos, retain, false, 0, properties),
          what,
          deadline,
          timeout);
      return PublishResult.of(qos, 0);
    }
    OutboundFlow flow =
        session.enqueue(
            id -> new PublishPacket(topic, payload, qos, retain, false, id, properties),
            UnsentQueue.bytes(topic, payload.length),
            qos == QoS.AT_LEAST_ONCE ? OutboundFlow.Awaiting.PUBACK : OutboundFlow.Awaiting.PUBREC,
            what,
            deadline,
            timeout);
    Packet ack = await(flow, what, timeout);
    // A broker without QoS 2 may acknowledge a QoS 2 publish with PUBACK (see PacketHandler).
    QoS done = ack instanceof PubackPacket ? QoS.AT_LEAST_ONCE : qos;
    // MQTT 5: 0x10 (No matching subscribers) is a success, said in PUBACK or PUBREC.
    int code = ack instanceof PubackPacket puback ? puback.reasonCode() : flow.pubrecReasonCode;
    return code == 0
        ? PublishResult.of(done, flow.packetId)
        : PublishResult.builder(done, flow.packetId)
            .reasonCode(ReasonCode.ofPuback(code).orElseThrow())
            .build();
  }

  /**
   * MQTT 5: what the broker's CONNACK said it accepts, checked before anything is queued—its
   * Maximum QoS [MQTT-3.2.2-11], Retain Available [MQTT-3.2.2-14] and Maximum Packet Size
   * [MQTT-3.2.2-15]—against the live connection's settings, or the last one's while reconnecting.
   *
   * @throws MqttException naming the limit, the value asked for and where the broker said it
   */
  private void requireAllowed(
      String topic, byte[] payload, QoS qos, boolean retain, Properties properties, What what) {
    ConnectionSettings s = lifecycle.settings();
    if (s == null) {
      return; // nothing accepted yet: nothing is sent either (not connected)
    }
    if (qos.value() > s.maximumQos().value()) {
      throw new MqttException(
          what.describe()
              + " failed before sending: the broker accepts at most QoS "
              + s.maximumQos().value()
              + " (Maximum QoS in its CONNACK) [MQTT-3.2.2-11]");
    }
    if (retain && !s.retainAvailable()) {
      throw new MqttException(
          what.describe()
              + " with retain failed before sending: the broker does not support retained"
              + " messages (Retain Available 0 in its CONNACK) [MQTT-3.2.2-14]");
    }
    if (s.maxPacketSizeOut() < MqttLimits.MAX_PACKET_SIZE) {
      long size =
          new PublishPacket(topic, payload, qos, retain, false, 0, properties)
              .encodedSize(s.level());
      if (size > s.maxPacketSizeOut()) {
        throw new MqttException(
            what.describe()
                + " failed before sending: the PUBLISH of "
                + size
                + " bytes exceeds the broker's Maximum Packet Size of "
                + s.maxPacketSizeOut()
                + " bytes (in its CONNACK) [MQTT-3.2.2-15]");
      }
    }
  }

  /** Straight to the writer when connected and nothing waits; else queued or refused offline. */
  private void publishQos0(PublishPacket p, What what, long deadline, Duration timeout)
      throws InterruptedException {
    Connection c = lifecycle.connection();
    if (c != null && session.nothingQueued()) {
      try {
        c.writer().send(p, what, deadline, timeout);
        return;
      } catch (ConnectionLostException e) {
        if (!config.autoReconnect()) {
          throw e;
        }
        // The connection just failed: treat this publish as made while reconnecting.
      }
    }
    if (lifecycle.connection() == null && config.offlineQos0() == MqttConfig.OfflinePolicy.FAIL) {
      throw new NotConnectedException(
          what.describe()
              + " failed: client "
              + clientId
              + " is not connected (offline_qos0 fail)");
    }
    session.enqueue(
        i -> p,
        UnsentQueue.bytes(p.topic(), p.payload().length),
        OutboundFlow.Awaiting.NOTHING,
        what,
        deadline,
        timeout);
  }

  private static void requireFits(String topic, byte[] payload) {
    long room = MqttLimits.MAX_REMAINING_LENGTH - 4L - topic.length() * 3L;
    if (payload.length > room) {
      throw new IllegalArgumentException(
          "payload of "
              + payload.length
              + " bytes does not fit in one PUBLISH to '"
              + topic
              + "' (remaining length at most "
              + MqttLimits.MAX_REMAINING_LENGTH
              + ")");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A SUBSCRIBE carries at most one Subscription Identifier, for all its filters (section
   * 3.8.2.1.2): subscriptions with different identifiers (or some with one and some without) go out
   * as one SUBSCRIBE per identifier, back to back, in the order each identifier first appears; the
   * codes come back in the order of the list.
   */
  @Override
  public List<Integer> subscribe(List<Subscription> subscriptions) throws InterruptedException {
    Objects.requireNonNull(subscriptions, "subscriptions");
    if (subscriptions.isEmpty()) {
      throw new IllegalArgumentException(
          "subscriptions must not be empty: SUBSCRIBE needs at least one topic filter"
              + " [MQTT-3.8.3-3]");
    }
    List<Subscription> copy = List.copyOf(subscriptions);
    requireOpen();
    requireSupported(copy, describeSubscribe(copy));
    LinkedHashMap<OptionalInt, List<Integer>> byIdentifier = new LinkedHashMap<>();
    for (int i = 0; i < copy.size(); i++) {
      byIdentifier
          .computeIfAbsent(copy.get(i).subscriptionIdentifier(), k -> new ArrayList<>())
          .add(i);
    }
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    List<OutboundFlow> flows = new ArrayList<>();
    List<What> whats = new ArrayList<>();
    for (List<Integer> indices : byIdentifier.values()) {
      List<Subscription> packet = indices.stream().map(copy::get).toList();
      What what = describeSubscribe(packet);
      whats.add(what);
      flows.add(
          session.enqueue(
              id -> new SubscribePacket(id, packet),
              0,
              OutboundFlow.Awaiting.SUBACK,
              what,
              deadline,
              timeout));
    }
    Integer[] codes = new Integer[copy.size()];
    int n = 0;
    for (List<Integer> indices : byIdentifier.values()) {
      OutboundFlow flow = flows.get(n);
      SubackPacket ack = (SubackPacket) await(flow, whats.get(n), timeout);
      for (int j = 0; j < indices.size(); j++) {
        codes[indices.get(j)] = ack.returnCodes().get(j);
      }
      n++;
    }
    return List.of(codes);
  }

  private static What describeSubscribe(List<Subscription> subscriptions) {
    return () -> "subscribe to " + subscriptions.stream().map(Subscription::topicFilter).toList();
  }

  /**
   * What the connection can ask for, checked before anything is queued: with MQTT 3.1.1 no option
   * beyond the QoS (its Requested QoS byte holds the QoS only, 3.1.1 section 3.8.3); with MQTT 5 no
   * wildcard, Subscription Identifier or shared subscription the broker's CONNACK said it lacks
   * (sections 3.2.2.3.11 to 3.2.2.3.13: sending one is a Protocol Error the broker answers with
   * DISCONNECT 0xA2, 0xA1 or 0x9E). Checked against the live connection's settings, or the last
   * one's while reconnecting; before the first connection nothing is sent either.
   *
   * @throws MqttException naming the subscription, the option and what the connection lacks
   */
  private void requireSupported(List<Subscription> subscriptions, What what) {
    ConnectionSettings s = lifecycle.settings();
    if (s == null) {
      return;
    }
    for (Subscription sub : subscriptions) {
      String lacking = lacking(s, sub);
      if (lacking != null) {
        throw new MqttException(what.describe() + " failed before sending: " + lacking);
      }
    }
  }

  /** Why the connection of {@code s} cannot ask for {@code sub}; null when it can. */
  private static String lacking(ConnectionSettings s, Subscription sub) {
    String filter = "'" + sub.topicFilter() + "'";
    if (s.level() != ProtocolLevel.MQTT_5) {
      if (!sub.hasMqtt5Options()) {
        return null;
      }
      List<String> options = new ArrayList<>();
      if (sub.noLocal()) {
        options.add("noLocal");
      }
      if (sub.retainAsPublished()) {
        options.add("retainAsPublished");
      }
      if (sub.retainHandling() != Subscription.RetainHandling.SEND_ON_SUBSCRIBE) {
        options.add("retainHandling " + sub.retainHandling());
      }
      sub.subscriptionIdentifier().ifPresent(id -> options.add("subscriptionIdentifier " + id));
      return "the MQTT 5 subscription option"
          + (options.size() == 1 ? " " : "s ")
          + String.join(", ", options)
          + " of "
          + filter
          + " need protocol_version 5; the connection speaks "
          + s.level()
          + ", whose SUBSCRIBE has the QoS only";
    }
    if (!s.wildcardSubscriptionAvailable() && Topics.isFilterWithWildcards(sub.topicFilter())) {
      return "the broker does not support wildcard subscriptions (Wildcard Subscription"
          + " Available 0 in its CONNACK, section 3.2.2.3.11), and "
          + filter
          + " has a wildcard";
    }
    if (!s.subscriptionIdentifiersAvailable() && sub.subscriptionIdentifier().isPresent()) {
      return "the broker does not support subscription identifiers (Subscription Identifiers"
          + " Available 0 in its CONNACK, section 3.2.2.3.12), and "
          + filter
          + " has subscriptionIdentifier "
          + sub.subscriptionIdentifier().getAsInt();
    }
    if (!s.sharedSubscriptionAvailable() && sub.isShared()) {
      return "the broker does not support shared subscriptions (Shared Subscription Available 0"
          + " in its CONNACK, section 3.2.2.3.13), and "
          + filter
          + " is one";
    }
    return null;
  }

  @Override
  public int subscribe(String topicFilter, QoS qos, MessageListener listener)
      throws InterruptedException {
    return subscribe(Subscription.of(topicFilter, Objects.requireNonNull(qos, "qos")), listener);
  }

  @Override
  public int subscribe(Subscription subscription, MessageListener listener)
      throws InterruptedException {
    Objects.requireNonNull(subscription, "subscription");
    MessageSelector selector = MessageSelector.topic(subscription.topicFilter());
    ListenerRegistration registration = delivery.addListener(selector, listener);
    boolean added = false;
    try {
      int code = subscribe(List.of(subscription)).get(0);
      added = code < 0x80;
      return code;
    } finally {
      if (!added) {
        registration.remove();
      }
    }
  }

  @Override
  public List<Integer> unsubscribe(List<String> topicFilters) throws InterruptedException {
    Objects.requireNonNull(topicFilters, "topicFilters");
    if (topicFilters.isEmpty()) {
      throw new IllegalArgumentException(
          "topicFilters must not be empty: UNSUBSCRIBE needs at least one topic filter"
              + " [MQTT-3.10.3-2]");
    }
    for (int i = 0; i < topicFilters.size(); i++) {
      Topics.requireValidFilter(topicFilters.get(i), "topicFilters[" + i + "]");
    }
    List<String> copy = List.copyOf(topicFilters);
    requireOpen();
    What what = () -> "unsubscribe from " + copy;
    Duration timeout = config.operationTimeout();
    OutboundFlow flow =
        session.enqueue(
            id -> new UnsubscribePacket(id, copy),
            0,
            OutboundFlow.Awaiting.UNSUBACK,
            what,
            Session.deadline(timeout),
            timeout);
    UnsubackPacket ack = (UnsubackPacket) await(flow, what, timeout);
    // MQTT 3.1.1's UNSUBACK has no codes: each filter is done (0x00).
    return ack.reasonCodes().isEmpty()
        ? Collections.nCopies(copy.size(), 0)
        : List.copyOf(ack.reasonCodes());
  }

  @Override
  public void ping() throws InterruptedException {
    requireOpen();
    What what = () -> "ping";
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    Connection c = lifecycle.awaitConnection(what, deadline, timeout);
    awaitUntil(c.ping(), what, timeout, deadline, " (no PINGRESP)");
  }

  @Override
  public void reauthenticate() throws InterruptedException {
    requireOpen();
    What what = () -> "re-authentication of client " + clientId;
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    Connection c = lifecycle.awaitConnection(what, deadline, timeout);
    if (c.auth() == null) {
      throw new IllegalStateException(
          what.describe()
              + " needs a connection authenticated with an auth_method (MQTT 5 enhanced"
              + " authentication); this one had none, so no AUTH may be sent [MQTT-4.12.0-7]");
    }
    new Authentication(config.authenticator().orElseThrow())
        .reauthenticate(c, what, deadline, timeout);
  }

  @Override
  public Message request(Publish request, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    requireOpen();
    What what = () -> "request to '" + request.topic() + "'";
    long deadline = Session.deadline(timeout);
    Connection c = lifecycle.awaitConnection(what, deadline, timeout);
    if (c.level() != ProtocolLevel.MQTT_5) {
      throw new MqttException(
          what.describe()
              + " failed: request/response needs protocol_version 5 (MQTT 5.0's Response Topic"
              + " and Correlation Data); the connection speaks "
              + c.level());
    }
    String responseTopic =
        requests().responseTopic(lifecycle.connack(), session.epoch(), what, deadline, timeout);
    CompletableFuture<Message> response = new CompletableFuture<>();
    byte[] correlation = requests().register(response);
    try {
      Properties properties =
          OutboundProperties.builder(request)
              .responseTopic(responseTopic)
              .correlationData(correlation)
              .build();
      String topic = request.topic();
      publish(
          topic,
          request.payload(),
          request.qos().orElseGet(() -> config.qosFor(topic)),
          request.retain().orElseGet(() -> config.retainFor(topic)),
          properties);
      return Requests.await(response, what, deadline, timeout);
    } finally {
      requests().forget(correlation);
    }
  }

  @Override
  public PublishResult respond(Message request, byte[] payload) throws InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(payload, "payload");
    String topic =
        request
            .responseTopic()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "request has no Response Topic, so there is nowhere to respond: "
                            + request
                            + " (a request is an MQTT 5 message published with one)"));
    Publish.Builder response =
        Publish.builder(topic).payload(payload).qos(request.qos()).retain(false);
    request.correlationData().ifPresent(response::correlationData);
    return publish(response.build());
  }

  private static String packetIdNote(OutboundFlow flow) {
    return " (packet id " + flow.packetId + STAYS + ")";
  }

  /**
   * Waits for a flow's outcome without a timer of its own: the session's tick source ends it at the
   * flow's deadline with {@link FlowTimedOut}. Translates what ends the wait; the flow stays in the
   * session when the wait times out or is interrupted (the message says so, with its packet id,
   * built only then: this runs once per acknowledged publish), so its packet id is never reused
   * early.
   */
  private Packet await(OutboundFlow flow, What what, Duration timeout) throws InterruptedException {
    try {
      return flow.result.await();
    } catch (ExecutionException e) {
      throw translate(what, e.getCause(), timeout, packetIdNote(flow));
    } catch (InterruptedException e) {
      InterruptedException kept =
          new InterruptedException(what.describe() + " interrupted" + packetIdNote(flow));
      kept.initCause(e);
      throw kept;
    }
  }

  /** {@link #await} for an outcome that no tick source ends: bounded by {@code deadline} here. */
  private <T> T awaitUntil(
      CompletableFuture<T> outcome, What what, Duration timeout, long deadline, String note)
      throws InterruptedException {
    try {
      return outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw translate(what, new FlowTimedOut(), timeout, note);
    } catch (ExecutionException e) {
      throw translate(what, e.getCause(), timeout, note);
    }
  }

  private MqttException translate(What what, Throwable cause, Duration timeout, String stays) {
    if (cause instanceof PublishRefusedException r) {
      PublishRefusedException e =
          new PublishRefusedException(
              what.describe() + " failed: the broker refused it: " + r.getMessage(),
              r.reasonCode(),
              r.reasonString().orElse(null),
              r.userProperties());
      e.initCause(r);
      return e;
    }
    if (cause instanceof FlowTimedOut) {
      return new OperationTimeoutException(what.describe() + stays, timeout);
    }
    if (cause instanceof ClosedByClient) {
      return new ConnectionLostException(
          what.describe() + " failed: the client disconnected (" + cause.getMessage() + ")", cause);
    }
    return new ConnectionLostException(
        what.describe() + " failed: the connection of client " + clientId + " was lost: " + cause,
        cause);
  }

  @Override
  public void disconnect() throws InterruptedException {
    lifecycle.disconnect(DisconnectOptions.defaults());
  }

  @Override
  public void disconnect(DisconnectOptions options) throws InterruptedException {
    lifecycle.disconnect(Objects.requireNonNull(options, "options"));
  }

  @Override
  public Message deliverMessage() throws InterruptedException {
    try {
      return delivery.take(-1);
    } catch (TimeoutException e) {
      throw new IllegalStateException("an unbounded wait timed out", e);
    }
  }

  @Override
  public Message deliverMessage(Duration timeout) throws InterruptedException, TimeoutException {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    return delivery.take(timeout.toNanos());
  }

  @Override
  public Optional<Message> pollMessage() {
    return delivery.poll();
  }

  @Override
  public ListenerRegistration addMessageListener(String topicFilter, MessageListener listener) {
    return addMessageListener(MessageSelector.topic(topicFilter), listener);
  }

  @Override
  public ListenerRegistration addMessageListener(
      MessageSelector selector, MessageListener listener) {
    return delivery.addListener(selector, listener);
  }

  @Override
  public boolean removeMessageListener(MessageListener listener) {
    return delivery.removeListener(listener);
  }

  @Override
  public Flow.Publisher<Message> messages(String topicFilter) {
    return messages(MessageSelector.topic(topicFilter));
  }

  @Override
  public Flow.Publisher<Message> messages(MessageSelector selector) {
    return delivery.publisher(selector);
  }

  @Override
  public void ack(Message message) {
    delivery.ack(message);
  }

  @Override
  public boolean isConnected() {
    return lifecycle.connection() != null;
  }

  @Override
  public ConnectionState state() {
    return lifecycle.publicState();
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    events.addConnectionListener(listener);
  }

  @Override
  public void removeConnectionListener(ConnectionListener listener) {
    events.removeConnectionListener(listener);
  }

  @Override
  public long droppedMessages() {
    return delivery.dropped();
  }

  @Override
  public void close() {
    lifecycle.close();
  }

  private void requireOpen() {
    if (lifecycle.publicState() == ConnectionState.CLOSED) {
      throw new IllegalStateException("client " + clientId + " is closed");
    }
  }

  @Override
  public String toString() {
    return "MqttClient[" + clientId + ", " + state() + "]";
  }
}
