package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.Will;
import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT [MQTT-3.1]. {@code protocolLevel} 3 writes protocol name {@code MQIsdp}, 4 writes {@code
 * MQTT}.
 *
 * @param will the will, or null for none
 * @param username the user name, or null for none
 * @param password the password, or null for none
 * @param properties MQTT 5.0's CONNECT properties; {@link Properties#EMPTY} in MQTT 3.1.1
 * @param willProperties MQTT 5.0's Will Properties; {@link Properties#EMPTY} in MQTT 3.1.1 and
 *     without a will
 */
public record ConnectPacket(
    int protocolLevel,
    String clientId,
    boolean cleanSession,
    int keepAliveSeconds,
    Will will,
    String username,
    byte[] password,
    Properties properties,
    Properties willProperties)
    implements Packet {

  public ConnectPacket {
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(willProperties, "willProperties");
  }

  /** A CONNECT without properties, as MQTT 3.1 and 3.1.1 have it. */
  public ConnectPacket(
      int protocolLevel,
      String clientId,
      boolean cleanSession,
      int keepAliveSeconds,
      Will will,
      String username,
      byte[] password) {
    this(
        protocolLevel,
        clientId,
        cleanSession,
        keepAliveSeconds,
        will,
        username,
        password,
        Properties.EMPTY,
        Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.CONNECT;
  }

  /** Compares the password by content, not by array identity. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectPacket p
        && protocolLevel == p.protocolLevel
        && Objects.equals(clientId, p.clientId)
        && cleanSession == p.cleanSession
        && keepAliveSeconds == p.keepAliveSeconds
        && Objects.equals(will, p.will)
        && Objects.equals(username, p.username)
        && Arrays.equals(password, p.password)
        && properties.equals(p.properties)
        && willProperties.equals(p.willProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        protocolLevel,
        clientId,
        cleanSession,
        keepAliveSeconds,
        will,
        username,
        Arrays.hashCode(password),
        properties,
        willProperties);
  }

  @Override
  public String toString() {
    return "ConnectPacket[protocolLevel="
        + protocolLevel
        + ", clientId="
        + clientId
        + ", cleanSession="
        + cleanSession
        + ", keepAlive="
        + keepAliveSeconds
        + ", will="
        + will
        + ", username="
        + username
        + ", password="
        + (password == null ? "null" : "<redacted>")
        + (properties.isEmpty() ? "" : ", " + properties)
        + (willProperties.isEmpty() ? "" : ", will " + willProperties)
        + "]";
  }
}
