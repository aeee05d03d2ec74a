/**
 * The container kind of {@link io.vmqtt.testkit.TestBroker}: brokers in Docker containers through
 * Testcontainers, which must be on the test class path ({@code org.testcontainers:testcontainers}).
 *
 * <pre>{@code
 * try (ContainerBroker broker = ContainerBroker.start(new MosquittoContainer())) {  // eclipse-mosquitto
 *   client.connect(broker.uri());
 * }
 * ContainerBroker.start(new MqttContainer("hivemq/hivemq-ce:2024.9")
 *     .waitingFor(Wait.forLogMessage(".*Started HiveMQ in.*", 1)));               // any MQTT image
 * }</pre>
 */
package io.vmqtt.testkit.container;
