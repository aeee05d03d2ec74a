package io.vmqtt.session.file;

import io.vmqtt.spi.StoredPublish;

/**
 * One change to a session's state, as a {@link SessionLog} appends it; one type per {@link
 * io.vmqtt.spi.PersistentSession} mutation. {@link LogCodec} gives each its bytes.
 *
 * <p>Immutable values.
 */
sealed interface LogRecord {
  /** The packet identifier the record is about. */
  int packetId();

  /** {@link io.vmqtt.spi.PersistentSession#outboundAdded}; its {@code released} flag is kept. */
  record OutboundAdded(StoredPublish publish) implements LogRecord {
    @Override
    public int packetId() {
      return publish.packetId();
    }
  }

  /** {@link io.vmqtt.spi.PersistentSession#outboundReleased}. */
  record OutboundReleased(int packetId) implements LogRecord {}

  /** {@link io.vmqtt.spi.PersistentSession#outboundRemoved}. */
  record OutboundRemoved(int packetId) implements LogRecord {}

  /** {@link io.vmqtt.spi.PersistentSession#inboundReceived}. */
  record InboundReceived(int packetId) implements LogRecord {}

  /** {@link io.vmqtt.spi.PersistentSession#inboundReleased}. */
  record InboundReleased(int packetId) implements LogRecord {}
}
