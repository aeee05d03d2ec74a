package io.vmqtt.spi;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The open, stored session state of one client id (see {@link SessionStore}). The engine records
 * each change here before it acts on it on the wire, so that what the broker was told is always
 * recoverable. Thread-safe: the engine calls it from the caller's, the reader's and the
 * application's threads.
 */
public interface PersistentSession extends Closeable {
  /** The outbound messages an earlier session left unacknowledged, in their original order. */
  List<StoredPublish> outbound();

  /** The inbound QoS 2 packet identifiers an earlier session acknowledged with PUBREC. */
  Set<Integer> inboundAwaitingRelease();

  /** A QoS 1/2 message was accepted; called before its PUBLISH is sent. */
  void outboundAdded(StoredPublish publish) throws IOException;

  /** PUBREC arrived for an outbound QoS 2 message: from now on PUBREL is what is resent. */
  void outboundReleased(int packetId) throws IOException;

  /**
   * PUBACK or PUBCOMP arrived, or the message was given up (a clean session ended without automatic
   * reconnection): it is no longer kept. Called before its packet id is reused.
   */
  void outboundRemoved(int packetId) throws IOException;

  /** An inbound QoS 2 message was handed to the application; called before PUBREC is sent. */
  void inboundReceived(int packetId) throws IOException;

  /** PUBREL arrived for an inbound QoS 2 message; called before PUBCOMP is sent. */
  void inboundReleased(int packetId) throws IOException;
}
