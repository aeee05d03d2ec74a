package io.vmqtt.it.interop;

/**
 * What each broker of the matrix does where brokers differ: the specification's choices (a MAY),
 * and each broker's deviations from the specification or from mosquitto, as documented by the
 * broker or observed against the version the matrix runs. The tests assert exactly this; every
 * entry that is not mosquitto's says which broker and version it describes. The highest QoS a
 * broker grants is a capability of the fixture ({@link io.vmqtt.it.brokers.Capabilities}).
 *
 * @param acceptsMqtt31 whether a CONNECT with protocol level 3 (MQTT 3.1) is accepted
 * @param acceptsEmptyClientId whether a zero-byte client id with a clean session is accepted
 *     [MQTT-3.1.3-6] (a MAY); else it is refused with code 2
 * @param badCredentialsCode the CONNACK code for a wrong password or an unknown user: 4 (bad user
 *     name or password) or 5 (not authorized)
 * @param qos2Publish what answers a QoS 2 PUBLISH
 * @param retainFlagForNewSubscriber whether a retained message sent because of a new subscription
 *     has RETAIN set [MQTT-3.3.1-8]
 * @param retainedForWildcards whether a new subscription with a wildcard filter gets the retained
 *     messages it matches
 * @param retainsQos0 whether a retained message published at QoS 0 is kept [MQTT-3.3.1-5]
 * @param retainedWill what a later QoS 2 subscriber gets of a retained QoS 2 will
 * @param queuesQos0Offline whether QoS 0 messages are queued for a client away with a persistent
 *     session (a MAY [MQTT-3.1.2-5])
 * @param keepsQos0Subscriptions whether a QoS 0 subscription is part of the persistent session
 *     [MQTT-3.1.2-4] and still routes messages after the client came back
 * @param persistentAfterCleanMayFail whether a persistent-session CONNECT right after a
 *     clean-session connection of the same client id with a QoS 1 subscription may be closed
 *     without CONNACK, or be answered with session present (a race in the broker)
 * @param offlineQueueLimit the most QoS 1 messages kept for a client away (the rest is dropped);
 *     {@link Integer#MAX_VALUE} for none below 1,500
 * @param copyPerOverlappingSubscription whether a message matching two subscriptions of a client
 *     arrives twice (a MAY [MQTT-3.3.5-1]) rather than once
 * @param topicCharacters what happens to topic names with '.' and ' '
 * @param maxMessageBytes the largest PUBLISH the broker takes by default, in bytes; a larger one
 *     closes the connection
 */
record Behaviour(
    boolean acceptsMqtt31,
    boolean acceptsEmptyClientId,
    int badCredentialsCode,
    Qos2Publish qos2Publish,
    boolean retainFlagForNewSubscriber,
    boolean retainedForWildcards,
    boolean retainsQos0,
    RetainedWill retainedWill,
    boolean queuesQos0Offline,
    boolean keepsQos0Subscriptions,
    boolean persistentAfterCleanMayFail,
    int offlineQueueLimit,
    boolean copyPerOverlappingSubscription,
    TopicCharacters topicCharacters,
    int maxMessageBytes) {

  /** How a broker answers a QoS 2 PUBLISH. */
  enum Qos2Publish {
    /** PUBREC, then PUBCOMP for the PUBREL: exactly once. */
    EXACTLY_ONCE,
    /** PUBACK, as if it were QoS 1; the message goes on at QoS 1. */
    PUBACK,
    /** It closes the connection. */
    CONNECTION_CLOSED
  }

  /** What a later QoS 2 subscriber gets of a retained will published at QoS 2. */
  enum RetainedWill {
    /** The will, retained, at the lower of QoS 2 and the broker's maximum. */
    DELIVERED,
    /** Nothing: the will was published but not kept. */
    NOT_KEPT,
    /** The subscriber's connection is closed by the broker. */
    SUBSCRIBER_DISCONNECTED
  }

  /** What a broker does with topic names that contain '.' or ' '. */
  enum TopicCharacters {
    /** Routes them unchanged. */
    UNCHANGED,
    /** Delivers 'a.b' as 'a/b' (AMQP routing keys underneath); spaces unchanged. */
    DOT_BECOMES_SLASH,
    /** Closes the publisher's connection; refuses such a filter with 0x80. */
    CONNECTION_CLOSED
  }

  static Behaviour of(BrokerKind kind) {
    return switch (kind) {
      // The reference: mosquitto 2.0.11 with its defaults. Its refusal code for bad credentials
      // is 5 for MQTT 3.1.1 (see AuthenticationTest); max_queued_messages 1000 per client.
      case MOSQUITTO ->
          new Behaviour(
              true,
              true,
              5,
              Qos2Publish.EXACTLY_ONCE,
              true,
              true,
              true,
              RetainedWill.DELIVERED,
              false,
              true,
              false,
              1000,
              false,
              TopicCharacters.UNCHANGED,
              Integer.MAX_VALUE);
      // NATS 2.9.10 (docs.nats.io, "MQTT"): MQTT 3.1.1 only, "QoS 2 is not supported"; subjects
      // cannot hold '.' or ' '. Observed: a level-3 CONNECT, a QoS 2 PUBLISH and a topic with
      // '.' or ' ' each close the connection without an answer; bad credentials get code 5; a
      // message matching two subscriptions arrives twice.
      case NATS ->
          new Behaviour(
              false,
              true,
              5,
              Qos2Publish.CONNECTION_CLOSED,
              true,
              true,
              true,
              RetainedWill.DELIVERED,
              false,
              true,
              false,
              Integer.MAX_VALUE,
              true,
              TopicCharacters.CONNECTION_CLOSED,
              1024 * 1024);
      // RabbitMQ 3.10.8 with rabbitmq_mqtt (rabbitmq.com/mqtt.html): QoS 2 is downgraded to 1,
      // retained messages come from a per-node store that is looked up by exact topic only (no
      // wildcards), topics are AMQP routing keys ('/' and '.' swap). Observed: a QoS 2 PUBLISH is
      // answered with PUBACK; QoS 0 messages for a QoS 1 subscription are queued for a client away
      // (that queue is durable), but QoS 0 subscriptions live in a transient queue that goes with
      // the connection: a persistent session comes back without them. A clean session declares
      // the client's QoS 1 queue auto-delete, a persistent one durable: a persistent CONNECT
      // that comes while the broker is still deleting the clean session's queue fails
      // (PRECONDITION_FAILED, "inequivalent arg 'auto_delete'") and its connection is closed
      // without CONNACK, or (found before and gone after) is taken for a session present;
      // a QoS 2 subscription to a topic with a retained QoS 2 message crashes the subscriber's
      // connection process (rabbit_mqtt_processor), and the connection closes.
      case RABBITMQ ->
          new Behaviour(
              true,
              true,
              4,
              Qos2Publish.PUBACK,
              true,
              false,
              true,
              RetainedWill.SUBSCRIBER_DISCONNECTED,
              true,
              false,
              true,
              Integer.MAX_VALUE,
              false,
              TopicCharacters.DOT_BECOMES_SLASH,
              Integer.MAX_VALUE);
      // Moquette 0.17 with its defaults: allow_zero_byte_client_id false,
      // netty.mqtt.message_size 8092. Observed: retained messages reach new subscribers without
      // RETAIN set; retained messages published at QoS 0 and retained wills are not kept.
      case MOQUETTE ->
          new Behaviour(
              true,
              false,
              4,
              Qos2Publish.EXACTLY_ONCE,
              false,
              true,
              false,
              RetainedWill.NOT_KEPT,
              false,
              true,
              false,
              Integer.MAX_VALUE,
              false,
              TopicCharacters.UNCHANGED,
              8092);
      // HiveMQ CE 2025.5 with its defaults: queued-messages max-queue-size 1000 per client. Code 4
      // for bad credentials comes from the fixture's authentication extension (HiveMQ CE itself
      // authenticates no one).
      case HIVEMQ ->
          new Behaviour(
              true,
              true,
              4,
              Qos2Publish.EXACTLY_ONCE,
              true,
              true,
              true,
              RetainedWill.DELIVERED,
              false,
              true,
              false,
              1000,
              false,
              TopicCharacters.UNCHANGED,
              Integer.MAX_VALUE);
    };
  }
}
