package io.vmqtt;

/**
 * Receives the messages a {@link MessageSelector} selects: paho's {@code message_callback_add},
 * Zerynth's {@code on(condition, callback, priority)}, umqtt's {@code set_callback}, in Java.
 *
 * <pre>{@code
 * client.subscribe("sensors/+/temp", QoS.AT_LEAST_ONCE, m -> store.save(m.topic(), m.payload()));
 * client.addMessageListener(
 *     MessageSelector.topic("alarms/#").when(m -> m.payload().length > 0).priority(10),
 *     m -> pager.send(m.payloadAsString()));
 * }</pre>
 *
 * <p><b>Threads and order.</b> Each listener runs on a virtual thread of the client, never on its
 * reader or writer thread and never under one of its locks, so it may block and may call the client
 * (publish, subscribe, ack...). One listener gets its messages one at a time, in the order the
 * client received them (a listener object added under several selectors still gets each message
 * once, and all of them in that order); different listeners run in parallel. {@link
 * ConnectionListener} events for an object that is both kinds of listener are delivered in the same
 * sequence as its messages.
 *
 * <p><b>A slow listener</b> slows only its own deliveries: messages for it wait in its queue while
 * other listeners go on. Every queue of the client shares one bound in bytes, {@code
 * incoming_queue_bytes}: once it is reached, a QoS 0 message is dropped as {@code
 * incoming_overflow} says (counted by {@link MqttClient#droppedMessages()}), and a QoS 1/2 message
 * makes the client stop reading from the network until the listener has caught up, so TCP holds the
 * broker back; memory never grows past the bound. A QoS 1/2 message is acknowledged only once it is
 * handled, and acknowledgements go out in the order the messages arrived [MQTT-4.6.0-2], so a
 * listener that sits on a QoS 1/2 message also holds back the acknowledgements of later messages of
 * that QoS, and the broker, whose window of unacknowledged messages fills, eventually sends no more
 * of them (mosquitto's window: 20 messages).
 *
 * <p><b>A listener that throws</b> is logged (with the message's topic and QoS) and goes on
 * receiving; the client goes on too. The message counts as handled, as if the listener had
 * returned: it is acknowledged (unless {@code manual_ack}), not redelivered, and not handed to any
 * other listener instead. A message that must be redelivered when it cannot be processed needs
 * {@code manual_ack}: not acknowledged, it is sent again after a reconnection with a persistent
 * session.
 *
 * <p><b>Acknowledgement.</b> Without {@code manual_ack}, a QoS 1/2 message is acknowledged when
 * every listener it went to has returned (or thrown). With {@code manual_ack}, only when the
 * application calls {@code message.ack()} or {@link MqttClient#ack(Message)}, from any thread, at
 * any time.
 */
@FunctionalInterface
public interface MessageListener {
  /**
   * Handles one message.
   *
   * @param message the message; its payload array is the listener's to keep (shared with any other
   *     listener the same message went to)
   * @throws Exception anything: logged, and the message counts as handled
   */
  void onMessage(Message message) throws Exception;
}
