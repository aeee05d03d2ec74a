package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.Will;

/**
 * CONNECT [MQTT-3.1]. {@code protocolLevel} 3 writes protocol name {@code MQIsdp}, 4 writes
 * {@code MQTT}.
 *
 * @param will the will, or null for none
 * @param username the user name, or null for none
 * @param password the password, or null for none
 */
public record ConnectPacket(
    int protocolLevel,
    String clientId,
    boolean cleanSession,
    int keepAliveSeconds,
    Will will,
    String username,
    byte[] password)
    implements Packet {

  @Override
  public PacketType type() {
    return PacketType.CONNECT;
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
        + "]";
  }
}
