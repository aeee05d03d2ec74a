package io.vmqtt.testkit;

import static io.vmqtt.testkit.MqttAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The process kind's listeners and limits: TLS with the testkit's certificate, TLS-PSK and
 * WebSocket carry messages; the MQTT 5 limits reach an MQTT 5 client in CONNACK (read from raw
 * bytes: vmqtt's client speaks 3.1.1 so far).
 */
class MosquittoListenersTest {

  @Test
  void tlsPskAndWebSocketListenersCarryMessagesToARecorder() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.builder().tls().websockets().start();
        MosquittoBroker psk =
            MosquittoBroker.builder().psk("sensor-7", "00112233445566778899aabbccddeeff").start();
        MessageRecorder recorder = MessageRecorder.connect(broker)) {
      recorder.subscribe("l/#");
      assertThat(broker.uri(MosquittoBroker.TLS)).startsWith("mqtts://127.0.0.1:");
      assertThat(broker.uri(MosquittoBroker.WEBSOCKETS)).startsWith("ws://127.0.0.1:");

      publish(broker.uri(MosquittoBroker.TLS), broker.clientTls(), "l/tls");
      publish(broker.uri(MosquittoBroker.WEBSOCKETS), null, "l/ws");
      assertThat(recorder).receivedOn("l/tls").hasPayload("l/tls");
      assertThat(recorder).receivedOn("l/ws").hasPayload("l/ws");

      try (MessageRecorder pskRecorder = MessageRecorder.connect(psk)) {
        pskRecorder.subscribe("l/#");
        publish(psk.uri(MosquittoBroker.PSK), psk.clientTls(), "l/psk");
        assertThat(pskRecorder).receivedOn("l/psk").hasPayload("l/psk");
      }
    }
  }

  private static void publish(String uri, io.vmqtt.TlsOptions tls, String topic)
      throws InterruptedException {
    try (MqttClient client = MqttClient.create()) {
      ConnectOptions.Builder options = ConnectOptions.builder();
      if (tls != null) {
        options.tls(tls);
      }
      client.connect(uri, options.build());
      client.publish(topic, topic.getBytes(), QoS.AT_LEAST_ONCE, false);
      client.disconnect();
    }
  }

  @Test
  void mqtt5ClientsAreToldTheConfiguredLimitsInConnack() throws IOException {
    try (MosquittoBroker broker =
        MosquittoBroker.builder()
            .maxQos(1)
            .retainAvailable(false)
            .maxPacketSize(1000)
            .maxTopicAlias(5)
            .maxKeepAlive(30)
            .maxInflightMessages(7)
            .start()) {
      Map<Integer, Object> properties = mqtt5Connack(broker.port());

      assertThat(properties)
          .containsEntry(0x24, 1) // Maximum QoS [MQTT-3.2.2.3.4]
          .containsEntry(0x25, 0) // Retain Available [MQTT-3.2.2.3.5]
          .containsEntry(0x27, 1000) // Maximum Packet Size [MQTT-3.2.2.3.6]
          .containsEntry(0x22, 5) // Topic Alias Maximum [MQTT-3.2.2.3.8]
          .containsEntry(0x13, 30) // Server Keep Alive [MQTT-3.2.2.3.14]
          .containsEntry(0x21, 7); // Receive Maximum [MQTT-3.2.2.3.3]
    }
  }

  /** Sends an MQTT 5 CONNECT (clean start, keep-alive 60 s) and returns CONNACK's properties. */
  private static Map<Integer, Object> mqtt5Connack(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(5_000);
      ByteArrayOutputStream connect = new ByteArrayOutputStream();
      connect.write(new byte[] {0x10, 15}); // CONNECT, remaining length 15
      connect.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 5}); // protocol name, level 5
      connect.write(new byte[] {0x02, 0, 60}); // clean start, keep-alive 60 s
      connect.write(0); // no properties
      connect.write(new byte[] {0, 2, 'm', '5'}); // client id "m5"
      socket.getOutputStream().write(connect.toByteArray());

      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertThat(in.readUnsignedByte()).as("CONNACK").isEqualTo(0x20);
      varint(in); // remaining length
      in.readUnsignedByte(); // acknowledge flags
      assertThat(in.readUnsignedByte()).as("reason code").isZero();
      int length = varint(in);
      byte[] body = in.readNBytes(length);
      return properties(new DataInputStream(new java.io.ByteArrayInputStream(body)));
    }
  }

  private static Map<Integer, Object> properties(DataInputStream in) throws IOException {
    Map<Integer, Object> properties = new LinkedHashMap<>();
    while (in.available() > 0) {
      int id = in.readUnsignedByte();
      switch (id) {
        case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A ->
            properties.put(id, in.readUnsignedByte());
        case 0x13, 0x21, 0x22 -> properties.put(id, in.readUnsignedShort());
        case 0x02, 0x11, 0x18, 0x27 -> properties.put(id, in.readInt());
        case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F -> properties.put(id, in.readUTF());
        case 0x26 -> properties.put(id, in.readUTF() + "=" + in.readUTF());
        default ->
            throw new AssertionError("unexpected CONNACK property 0x" + Integer.toHexString(id));
      }
    }
    return properties;
  }

  private static int varint(DataInputStream in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 28; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new AssertionError("a variable byte integer longer than 4 bytes");
  }
}
