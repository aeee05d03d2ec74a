package io.vmqtt;

import io.vmqtt.internal.api.Services;
import io.vmqtt.spi.MqttClientProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;

/**
 * An MQTT client with a blocking API: each call returns when the broker has answered it. Any number
 * of threads, virtual or not, may call one client at once; their flows proceed in parallel.
 *
 * <pre>{@code
 * try (MqttClient client = MqttClient.create("sensor-7")) {
 *   client.connect("mqtt://localhost:1883");
 *   client.subscribe(List.of(Subscription.of("a/#", QoS.EXACTLY_ONCE)));
 *   client.publish("a/b", "hello".getBytes(), QoS.EXACTLY_ONCE, false); // returns after PUBCOMP
 *   Message m = client.deliverMessage(Duration.ofSeconds(5));
 *   client.disconnect();
 * }
 * }</pre>
 *
 * <p>Received messages reach the application in four ways, which mix on one client: {@linkplain
 * #addMessageListener listeners} per topic filter (with a condition and a priority), called on
 * virtual threads of the client; {@link #deliverMessage()}, which waits for the next message;
 * {@link #pollMessage()}, which does not wait; and {@linkplain #messages streams} for reactive
 * code. A message goes to every listener that selects it; one that no listener takes goes to {@code
 * deliverMessage} and {@code pollMessage}.
 *
 * <p>Every blocking call except {@link #deliverMessage()} is bounded by the configured operation
 * timeout ({@link OperationTimeoutException}). A connection that fails wakes every waiting call
 * with a {@link ConnectionLostException} carrying the cause.
 */
public interface MqttClient extends AutoCloseable {

  /** A client with a generated client id and the default configuration. */
  static MqttClient create() {
    return create(generateClientId(), MqttConfig.defaults());
  }

  /** A client with the given client id and the default configuration. */
  static MqttClient create(String clientId) {
    return create(clientId, MqttConfig.defaults());
  }

  /**
   * A client with the given client id and configuration, from the first {@link MqttClientProvider}
   * on the class or module path.
   *
   * @param clientId the MQTT client identifier; may be empty (the broker then assigns one, which
   *     requires a clean session)
   * @throws IllegalArgumentException when the client id is not a valid MQTT string
   * @throws IllegalStateException when no implementation is on the path
   */
  static MqttClient create(String clientId, MqttConfig config) {
    Topics.requireValidString(clientId, "clientId");
    java.util.Objects.requireNonNull(config, "config");
    MqttClientProvider provider =
        Services.first(MqttClientProvider.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no MQTT client implementation found: add io.vmqtt:mqtt-vthreads to the"
                            + " class path or module path"));
    return provider.create(clientId, config);
  }

  /** A random client id in the style of hbmqtt's: {@code "vmqtt/"} and 16 characters. */
  static String generateClientId() {
    return "vmqtt/" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** The MQTT client identifier this client connects with. */
  String clientId();

  /** The configuration this client was created with. */
  MqttConfig config();

  /**
   * Opens a network connection to the broker and sends CONNECT.
   *
   * @param uri {@code mqtt://[user[:password]@]host[:port]} ({@code tcp} is a synonym; default port
   *     1883); other schemes come from transport modules
   * @return the accepted CONNACK
   * @throws ConnectException when the broker refuses (its code in {@link
   *     ConnectException#reasonCode()} and {@link ConnectException#returnCode()}), or the
   *     connection fails or times out (the cause says why)
   * @throws IllegalArgumentException when the URI is malformed or its scheme unknown, or the
   *     connection would speak MQTT 3.1.1 with MQTT 5 properties to send (user properties of the
   *     options, {@linkplain Will#hasMqtt5Properties() will properties})
   * @throws IllegalStateException when this client is already connected, or closed
   * @throws InterruptedException when the calling thread is interrupted
   */
  default Connack connect(String uri) throws InterruptedException {
    return connect(uri, ConnectOptions.defaults());
  }

  /**
   * Like {@link #connect(String)}, with per-connection options that override the configuration.
   *
   * @see #connect(String)
   */
  Connack connect(String uri, ConnectOptions options) throws InterruptedException;

  /**
   * Publishes with the QoS and retain flag the configuration gives this topic: its {@code topics}
   * entry, else {@code default_qos} and {@code default_retain}.
   *
   * @see #publish(String, byte[], QoS, boolean)
   */
  PublishResult publish(String topic, byte[] payload) throws InterruptedException;

  /**
   * Publishes a message and returns when its flow is complete: QoS 0 when handed to the writer, QoS
   * 1 on PUBACK, QoS 2 on PUBCOMP. Explicit arguments always win over the configuration.
   *
   * @throws IllegalArgumentException when the topic is not a valid topic name
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails before the flow completes
   * @throws OperationTimeoutException when the flow does not complete in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  PublishResult publish(String topic, byte[] payload, QoS qos, boolean retain)
      throws InterruptedException;

  /**
   * Publishes a message built with {@link Publish#builder(String)} and returns when its flow is
   * complete, as {@link #publish(String, byte[], QoS, boolean)} does. A QoS or retain flag set in
   * {@code message} wins; one that is not set comes from the configuration, as for {@link
   * #publish(String, byte[])}: the {@code topics} entry for the topic, else {@code default_qos} /
   * {@code default_retain}.
   *
   * <pre>{@code
   * client.publish(Publish.builder("a/b").payload("hello").qos(QoS.AT_LEAST_ONCE).build());
   * }</pre>
   *
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails before the flow completes
   * @throws OperationTimeoutException when the flow does not complete in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  default PublishResult publish(Publish message) throws InterruptedException {
    java.util.Objects.requireNonNull(message, "message");
    String topic = message.topic();
    return publish(
        topic,
        message.payload(),
        message.qos().orElseGet(() -> config().qosFor(topic)),
        message.retain().orElseGet(() -> config().retainFor(topic)));
  }

  /**
   * Subscribes and returns the SUBACK return codes, one per subscription in order: the granted QoS
   * (0, 1, 2) or {@code 0x80} for a refused filter; with MQTT 5 the broker's Subscribe Reason Codes
   * (0 to 2 granted, {@code 0x80} and above refused, e.g. {@code 0x87} Not authorized). {@link
   * ReasonCode#ofSuback(int, int)} names them.
   *
   * <p>MQTT 5: a SUBSCRIBE carries at most one Subscription Identifier, for all its filters, so
   * subscriptions with different {@linkplain Subscription#subscriptionIdentifier() identifiers} (or
   * some with one and some without) go out as one SUBSCRIBE per identifier, back to back; the codes
   * still come back in the order of the list. If the connection fails between two of them, those
   * acknowledged before stay subscribed.
   *
   * @throws IllegalArgumentException when the list is empty
   * @throws MqttException before anything is sent, when a subscription asks for what the connection
   *     lacks: MQTT 5 options ({@link Subscription#hasMqtt5Options()}) on an MQTT 3.1.1 connection,
   *     or a wildcard, a subscription identifier or a shared subscription that the broker's CONNACK
   *     said it does not support ({@link Connack#wildcardSubscriptionAvailable()}, {@link
   *     Connack#subscriptionIdentifiersAvailable()}, {@link
   *     Connack#sharedSubscriptionAvailable()}); the message names the filter and the option
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails before SUBACK
   * @throws OperationTimeoutException when SUBACK does not arrive in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  List<Integer> subscribe(List<Subscription> subscriptions) throws InterruptedException;

  /**
   * Subscribes to one topic filter and adds {@code listener} for the messages it matches ({@link
   * #addMessageListener(String, MessageListener)}), paho's {@code subscribe} with {@code
   * message_callback_add}. The listener is added before SUBSCRIBE is sent, so it also gets the
   * retained messages the broker sends with its SUBACK; it is removed again when the broker refuses
   * the filter or the call fails. It stays when the subscription is restored after a reconnection,
   * and after {@link #unsubscribe} (remove it with {@link #removeMessageListener}).
   *
   * @return the SUBACK return code: the granted QoS (0, 1, 2), or {@code 0x80} when the broker
   *     refused the filter (then the listener is not added)
   * @throws IllegalArgumentException when the filter is not a valid topic filter
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails before SUBACK
   * @throws OperationTimeoutException when SUBACK does not arrive in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  int subscribe(String topicFilter, QoS qos, MessageListener listener) throws InterruptedException;

  /**
   * Subscribes with {@code subscription} (its MQTT 5 options, or a {@linkplain Subscription#shared
   * shared} subscription) and adds {@code listener} for the messages it matches, as {@link
   * #subscribe(String, QoS, MessageListener)} does. For a shared subscription the listener gets the
   * group's messages, whose topics have no {@code $share/group/} prefix.
   *
   * <pre>{@code
   * client.subscribe(Subscription.shared("workers", "jobs/#", QoS.AT_LEAST_ONCE), job -> run(job));
   * }</pre>
   *
   * @return the SUBACK return code: the granted QoS (0, 1, 2), or {@code 0x80} and above when the
   *     broker refused the filter (then the listener is not added)
   * @throws MqttException before anything is sent, as {@link #subscribe(List)} says
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails before SUBACK
   * @throws OperationTimeoutException when SUBACK does not arrive in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  int subscribe(Subscription subscription, MessageListener listener) throws InterruptedException;

  /**
   * Unsubscribes and returns on UNSUBACK, with one code per filter in order: with MQTT 5 the
   * broker's Unsubscribe Reason Codes ({@code 0x00} Success, {@code 0x11} No subscription existed,
   * {@code 0x80} and above an error; {@link ReasonCode#ofUnsuback(int)} names them), with MQTT
   * 3.1.1, whose UNSUBACK carries none, {@code 0x00} for each.
   *
   * @throws IllegalArgumentException when the list is empty or holds an invalid filter
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails before UNSUBACK
   * @throws OperationTimeoutException when UNSUBACK does not arrive in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  List<Integer> unsubscribe(List<String> topicFilters) throws InterruptedException;

  /**
   * Sends PINGREQ and returns on PINGRESP.
   *
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails first
   * @throws OperationTimeoutException when PINGRESP does not arrive in time
   * @throws InterruptedException when the calling thread is interrupted
   */
  void ping() throws InterruptedException;

  /**
   * Sends DISCONNECT and closes the connection; the broker discards the will. Messages already
   * received can still be taken with {@link #deliverMessage()}. Does nothing when not connected.
   *
   * @throws InterruptedException when the calling thread is interrupted
   */
  void disconnect() throws InterruptedException;

  /**
   * Like {@link #disconnect()}, with an MQTT 5 DISCONNECT that says more: a reason code (e.g.
   * {@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE}, so that the broker publishes the will), a new
   * Session Expiry Interval, a reason string, user properties. When the client is not connected
   * nothing is sent and the options are not looked at.
   *
   * <pre>{@code
   * client.disconnect(DisconnectOptions.builder().sessionExpiryInterval(Duration.ofHours(1)).build());
   * }</pre>
   *
   * @throws MqttException before anything is sent (the client stays connected): when the connection
   *     speaks MQTT 3.1.1 and the options are not {@link DisconnectOptions#defaults()}, or when
   *     they set a non-zero Session Expiry Interval and CONNECT's was 0, a Protocol Error (section
   *     3.14.2.2.2)
   * @throws InterruptedException when the calling thread is interrupted
   */
  void disconnect(DisconnectOptions options) throws InterruptedException;

  /**
   * Connects again to the URI of the last {@code connect}, with its options, as hbmqtt does: one
   * attempt, then up to {@code reconnect_retries} more (negative: without end), waiting 1, 2, 4...
   * seconds between them, at most {@code reconnect_max_interval}, shortened by a random jitter. A
   * refusal that retrying cannot fix (codes 1, 2, 4, 5: protocol version, client identifier,
   * credentials, authorization) is thrown at once. When the client is already connected it logs a
   * warning and returns the CONNACK of the current connection, as hbmqtt does.
   *
   * @throws IllegalStateException when {@code connect} never succeeded, or the client is closed
   * @throws ConnectException when every attempt failed; the last failure is the cause
   * @throws InterruptedException when the calling thread is interrupted
   */
  Connack reconnect() throws InterruptedException;

  /**
   * MQTT 5 re-authentication (section 4.12.1): sends AUTH 0x19 with a new exchange of the
   * configured {@code auth_method}, answers the broker's challenges (AUTH 0x18), and returns when
   * the broker says Success (AUTH 0x00) and the method accepted what it sent with it. Messages keep
   * flowing meanwhile. One re-authentication at a time: a second call waits for the first.
   *
   * @throws IllegalStateException when the connection was not authenticated with an {@code
   *     auth_method} (the protocol allows AUTH only then [MQTT-4.12.0-7])
   * @throws NotConnectedException when the client is not connected
   * @throws AuthenticationException when the broker refused it (it then closes the connection, and
   *     the cause is its {@link DisconnectedByBrokerException} with the reason code), or the method
   *     refused the broker's answer, or the broker did not finish within {@code operation_timeout}
   *     (the client then closes the connection with DISCONNECT 0x80: an exchange cannot be left
   *     half-way; with {@code auto_reconnect} the next connection authenticates afresh)
   * @throws InterruptedException when the calling thread is interrupted
   */
  void reauthenticate() throws InterruptedException;

  /**
   * MQTT 5 request/response: publishes {@code payload} to {@code topic} with a Response Topic and
   * fresh Correlation Data, and returns the response, the first message that comes back on that
   * topic with that Correlation Data. The QoS and retain flag come from the configuration, as for
   * {@link #publish(String, byte[])}. See {@link #request(Publish, Duration)}.
   *
   * <pre>{@code
   * Message answer = client.request("svc/time", "now?".getBytes(), Duration.ofSeconds(5));
   * }</pre>
   */
  default Message request(String topic, byte[] payload, Duration timeout)
      throws InterruptedException {
    return request(Publish.builder(topic).payload(payload).build(), timeout);
  }

  /**
   * MQTT 5 request/response with the properties and QoS of {@code request}: publishes it with a
   * Response Topic of this client and fresh Correlation Data (which replace any {@code request}
   * has), and waits for the response. The response topic is the client's own: under the CONNACK's
   * Response Information when {@code request_response_information} asked for one, else {@code
   * vmqtt/response/<client id>}; the client subscribes to it (QoS 2, exclusive of any listener and
   * of {@code deliverMessage}) before its first request on each connection that has no session
   * holding the subscription. Any number of threads may request at once; each gets the response
   * with its own Correlation Data. Responses that come for no waiting request (too late, or for
   * nobody) are dropped and logged; nothing of a request is kept once its call returns.
   *
   * @param timeout the bound on the whole call: subscribing, publishing and waiting for the
   *     response
   * @return the response
   * @throws IllegalArgumentException when {@code timeout} is not positive
   * @throws MqttException when the connection does not speak MQTT 5, or the broker refused the
   *     subscription to the response topic
   * @throws OperationTimeoutException when no response came in time
   * @throws NotConnectedException when the client is not connected
   * @throws ConnectionLostException when the connection fails first
   * @throws InterruptedException when the calling thread is interrupted
   */
  Message request(Publish request, Duration timeout) throws InterruptedException;

  /**
   * Answers a request received with MQTT 5 (a message with a Response Topic): publishes {@code
   * payload} to its Response Topic with its Correlation Data (if it had one), at the request's QoS.
   *
   * <pre>{@code
   * client.subscribe("svc/time", QoS.AT_LEAST_ONCE, m -> client.respond(m, now()));
   * }</pre>
   *
   * @return as {@link #publish(Publish)}
   * @throws IllegalArgumentException when {@code request} has no Response Topic
   * @see #publish(Publish)
   */
  PublishResult respond(Message request, byte[] payload) throws InterruptedException;

  /**
   * Takes the next received message that no {@linkplain #addMessageListener listener} took, waiting
   * without limit: hbmqtt's {@code deliver_message}, umqtt's {@code wait_msg}. Messages come in the
   * order they arrived. QoS 1 and 2 messages are acknowledged to the broker when they are taken
   * here (unless {@code manual_ack}).
   *
   * @throws ConnectionLostException when the connection fails while waiting and no message is left
   * @throws NotConnectedException when called while not connected and no message is left
   * @throws InterruptedException when the calling thread is interrupted
   */
  Message deliverMessage() throws InterruptedException;

  /**
   * Takes the next received message, waiting at most {@code timeout}.
   *
   * @throws TimeoutException when no message arrives in time
   * @see #deliverMessage()
   */
  Message deliverMessage(Duration timeout) throws InterruptedException, TimeoutException;

  /**
   * Takes the next received message if one is waiting, without waiting: umqtt's {@code check_msg}.
   * It takes from where {@link #deliverMessage()} takes (messages no listener took), and
   * acknowledges a QoS 1/2 message as {@code deliverMessage} does.
   *
   * @return the message, or empty when none is waiting (whether or not the client is connected)
   */
  Optional<Message> pollMessage();

  /**
   * Adds a listener for the received messages whose topic {@code topicFilter} matches: {@link
   * #addMessageListener(MessageSelector, MessageListener)} with {@link MessageSelector#topic}. The
   * filter need not be one the client subscribed to: it selects among the messages the
   * subscriptions bring.
   *
   * @throws IllegalArgumentException when the filter is not a valid topic filter
   */
  ListenerRegistration addMessageListener(String topicFilter, MessageListener listener);

  /**
   * Adds a listener for the received messages {@code selector} selects. It gets messages that
   * arrive from now on, until it is removed or the client closes, across disconnections and
   * reconnections. Add listeners before {@code connect} to get the messages a persistent session
   * holds for the client, which the broker sends right after CONNACK. See {@link MessageListener}
   * for threads, order and acknowledgement, and {@link MessageSelector} for routing.
   *
   * @return the registration, which removes the listener
   * @throws IllegalStateException when the client is closed
   */
  ListenerRegistration addMessageListener(MessageSelector selector, MessageListener listener);

  /**
   * Removes every registration of {@code listener} ({@link ListenerRegistration#remove()}).
   *
   * @return whether there was one
   */
  boolean removeMessageListener(MessageListener listener);

  /**
   * A stream of the received messages whose topic {@code topicFilter} matches: {@link
   * #messages(MessageSelector)} with {@link MessageSelector#topic}.
   *
   * @throws IllegalArgumentException when the filter is not a valid topic filter
   */
  Flow.Publisher<Message> messages(String topicFilter);

  /**
   * A stream of the received messages {@code selector} selects, for reactive code ({@code
   * java.util.concurrent.Flow}, which Reactor's {@code JdkFlowAdapter}, RxJava and Mutiny adapt).
   * Each {@link Flow.Subscriber} is routed as a {@link MessageListener} would be, from its {@code
   * subscribe} until it cancels; its signals come one at a time on a virtual thread of the client.
   * Demand is back-pressure: messages beyond what it requested wait in its queue, within {@code
   * incoming_queue_bytes}, and then the client stops reading (QoS 1/2) or drops QoS 0 messages as
   * {@code incoming_overflow} says. A QoS 1/2 message is acknowledged when {@code onNext} returns
   * (unless {@code manual_ack}). The stream completes when the client is closed; it goes on across
   * disconnections and reconnections. Messages still queued for a subscriber that cancels are
   * dropped, and count as handled.
   *
   * <p>A {@code Flow.Publisher} rather than a {@code java.util.stream.Stream} or an iterator:
   * received messages are pushed by the network and never end by themselves, and {@code Flow} has
   * what that needs (demand as back-pressure, cancellation, completion, errors) where a {@code
   * Stream} would have to invent it; a blocking iterator is what {@link #deliverMessage()} already
   * is.
   */
  Flow.Publisher<Message> messages(MessageSelector selector);

  /**
   * Acknowledges a received QoS 1/2 message, with {@code manual_ack}: PUBACK for QoS 1, PUBREC for
   * QoS 2 (the QoS 2 flow then completes by itself). The acknowledgement waits until those of the
   * messages that arrived before it have been sent, as MQTT requires [MQTT-4.6.0-2]. Idempotent;
   * does nothing for a QoS 0 message, without {@code manual_ack} (the client acknowledges by
   * itself), and for a message that arrived on an earlier connection, which the broker sends again
   * when the session persists (logged at debug level): an acknowledgement never goes to a broker
   * session the message did not come from. Never blocks for long: it only queues the packet.
   *
   * @throws IllegalArgumentException when the message was not received by this client
   */
  void ack(Message message);

  /** Whether the client has an open, accepted connection. */
  boolean isConnected();

  /** Where the connection stands: connected, connecting (or reconnecting), disconnected, closed. */
  ConnectionState state();

  /**
   * Adds a listener for connects, losses and reconnections; it hears events from now on. See {@link
   * ConnectionListener} for the thread it runs on.
   */
  void addConnectionListener(ConnectionListener listener);

  /** Removes a listener added before; does nothing if it is not there. */
  void removeConnectionListener(ConnectionListener listener);

  /**
   * The number of received QoS 0 messages discarded because a queue was full ({@code
   * incoming_queue_size}, {@code incoming_queue_bytes}, {@code incoming_overflow}); a message
   * discarded from the queues of several listeners counts once for each.
   */
  long droppedMessages();

  /**
   * Closes the connection without DISCONNECT (so the broker publishes the will), fails every
   * waiting call, and ends every thread of this client: messages not yet handed to listeners are
   * dropped, listeners still running are interrupted and waited for (at most 2 s), streams
   * complete. Idempotent.
   */
  @Override
  void close();
}
