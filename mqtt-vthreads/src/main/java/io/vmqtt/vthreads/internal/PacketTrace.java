package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet trace: one DEBUG line per packet on logger {@code io.vmqtt.trace}, in hbmqtt's style:
 * {@code <client id> -out-> <packet>} and {@code <client id> <-in-- <packet>}. Packets redact
 * passwords and summarise payloads in their {@code toString()}. Thread-safe.
 */
final class PacketTrace {
  private static final Logger LOG = LoggerFactory.getLogger("io.vmqtt.trace");

  private final String clientId;

  PacketTrace(String clientId) {
    this.clientId = clientId;
  }

  boolean enabled() {
    return LOG.isDebugEnabled();
  }

  void out(Packet p) {
    LOG.debug("{} -out-> {}", clientId, p);
  }

  void in(Packet p) {
    LOG.debug("{} <-in-- {}", clientId, p);
  }
}
