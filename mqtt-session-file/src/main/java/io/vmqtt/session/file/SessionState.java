package io.vmqtt.session.file;

import io.vmqtt.spi.StoredPublish;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state a session log describes, with the semantics of {@code SessionStore.inMemory()}:
 * outbound messages by packet id in the order they were added (adding an id again replaces it and
 * moves it to the end), inbound ids awaiting PUBREL; releasing or removing an unknown id changes
 * nothing. Also counts what compaction needs: the records in the log, and the bytes the live state
 * takes once rewritten.
 *
 * <p>Not thread-safe: {@link SessionLog} guards it with its lock.
 */
final class SessionState {
  /** A live outbound message and the size of its OUTBOUND_ADDED record. */
  private record Live(StoredPublish publish, int recordSize) {}

  private final LinkedHashMap<Integer, Live> outbound = new LinkedHashMap<>();
  private final LinkedHashSet<Integer> inbound = new LinkedHashSet<>();
  private long records;
  private long liveRecordBytes;

  /**
   * Whether applying {@code record} would change anything.
   *
   * @throws IllegalArgumentException when it cannot be applied: releasing a QoS 1 message, as
   *     {@link StoredPublish#asReleased()} refuses it
   */
  boolean changes(LogRecord record) {
    return switch (record) {
      case LogRecord.OutboundAdded a -> true;
      case LogRecord.OutboundReleased r -> {
        Live live = outbound.get(r.packetId());
        yield live != null && !live.publish().equals(live.publish().asReleased());
      }
      case LogRecord.OutboundRemoved r -> outbound.containsKey(r.packetId());
      case LogRecord.InboundReceived r -> !inbound.contains(r.packetId());
      case LogRecord.InboundReleased r -> inbound.contains(r.packetId());
    };
  }

  /**
   * Applies one record that is in the log.
   *
   * @param recordSize its size in the log
   * @throws IllegalArgumentException as {@link #changes} does, before changing anything
   */
  void apply(LogRecord record, int recordSize) {
    switch (record) {
      case LogRecord.OutboundAdded a -> {
        Live old = outbound.remove(a.packetId());
        if (old != null) {
          liveRecordBytes -= old.recordSize();
        }
        outbound.put(a.packetId(), new Live(a.publish(), recordSize));
        liveRecordBytes += recordSize;
      }
      case LogRecord.OutboundReleased r -> {
        Live live = outbound.get(r.packetId());
        if (live != null) {
          // Replaced in place: the order is that of the adds.
          outbound.put(r.packetId(), new Live(live.publish().asReleased(), live.recordSize()));
        }
      }
      case LogRecord.OutboundRemoved r -> {
        Live old = outbound.remove(r.packetId());
        if (old != null) {
          liveRecordBytes -= old.recordSize();
        }
      }
      case LogRecord.InboundReceived r -> {
        if (inbound.add(r.packetId())) {
          liveRecordBytes += LogCodec.PACKET_ID_RECORD_SIZE;
        }
      }
      case LogRecord.InboundReleased r -> {
        if (inbound.remove(r.packetId())) {
          liveRecordBytes -= LogCodec.PACKET_ID_RECORD_SIZE;
        }
      }
    }
    records++;
  }

  List<StoredPublish> outbound() {
    List<StoredPublish> list = new ArrayList<>(outbound.size());
    for (Live live : outbound.values()) {
      list.add(live.publish());
    }
    return List.copyOf(list);
  }

  Set<Integer> inbound() {
    return Set.copyOf(inbound);
  }

  boolean isEmpty() {
    return outbound.isEmpty() && inbound.isEmpty();
  }

  /**
   * The records of a compacted log of this state, in order: an OUTBOUND_ADDED (with its released
   * flag) per outbound message, then an INBOUND_RECEIVED per inbound id.
   */
  List<LogRecord> liveRecords() {
    List<LogRecord> list = new ArrayList<>(outbound.size() + inbound.size());
    for (Live live : outbound.values()) {
      list.add(new LogRecord.OutboundAdded(live.publish()));
    }
    for (int id : inbound) {
      list.add(new LogRecord.InboundReceived(id));
    }
    return list;
  }

  /** The records a compacted log would hold. */
  long liveRecordCount() {
    return outbound.size() + inbound.size();
  }

  /** The records in the log that a compacted log would not hold. */
  long deadRecordCount() {
    return records - liveRecordCount();
  }

  /** The bytes of the records a compacted log would hold (the header not included). */
  long liveRecordBytes() {
    return liveRecordBytes;
  }

  /** The log now holds exactly {@link #liveRecords()}. */
  void compacted() {
    records = liveRecordCount();
  }
}
