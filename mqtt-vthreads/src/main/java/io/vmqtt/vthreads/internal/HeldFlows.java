package io.vmqtt.vthreads.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The flows holding a packet identifier, by identifier: an open-addressing table of {@code int}
 * keys (linear probing, deletion by backward shift), so that looking a flow up for each
 * acknowledgement boxes no {@code Integer} and allocates no map entry. Identifiers are handed out
 * one after the other, so {@code id & mask} spreads them without a hash. The table doubles when
 * half full and halves when under an eighth full, from {@value #MIN_CAPACITY} slots up.
 *
 * <p>Not thread-safe: a part of {@link OutboundFlows}, guarded by the session's lock.
 */
final class HeldFlows {
  private static final int MIN_CAPACITY = 4;

  private int[] ids = new int[MIN_CAPACITY];
  private OutboundFlow[] flows = new OutboundFlow[MIN_CAPACITY];
  private int size;

  /** The flow holding {@code id} (1 to 65,535), or null. */
  OutboundFlow get(int id) {
    int mask = ids.length - 1;
    for (int i = id & mask; ; i = (i + 1) & mask) {
      int k = ids[i];
      if (k == id) {
        return flows[i];
      }
      if (k == 0) {
        return null;
      }
    }
  }

  boolean containsKey(int id) {
    return get(id) != null;
  }

  /** Holds {@code flow} under {@code id}, which no flow holds. */
  void put(int id, OutboundFlow flow) {
    if ((size + 1) * 2 > ids.length) {
      resize(ids.length * 2);
    }
    insert(id, flow);
    size++;
  }

  /** Removes {@code id} if {@code flow} holds it; returns whether it did. */
  boolean remove(int id, OutboundFlow flow) {
    int mask = ids.length - 1;
    int i = id & mask;
    while (ids[i] != id) {
      if (ids[i] == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
    if (flows[i] != flow) {
      return false;
    }
    deleteAt(i);
    size--;
    if (size * 8 < ids.length && ids.length > MIN_CAPACITY) {
      resize(ids.length / 2);
    }
    return true;
  }

  /** Removes whatever flow holds {@code id}. */
  void remove(int id) {
    OutboundFlow f = get(id);
    if (f != null) {
      remove(id, f);
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Every held flow, in the order the flows were made. A copy. */
  List<OutboundFlow> inOrder() {
    List<OutboundFlow> all = new ArrayList<>(size);
    for (OutboundFlow f : flows) {
      if (f != null) {
        all.add(f);
      }
    }
    all.sort(Comparator.comparingLong(f -> f.sequence));
    return all;
  }

  void clear() {
    ids = new int[MIN_CAPACITY];
    flows = new OutboundFlow[MIN_CAPACITY];
    size = 0;
  }

  private void insert(int id, OutboundFlow flow) {
    int mask = ids.length - 1;
    int i = id & mask;
    while (ids[i] != 0) {
      i = (i + 1) & mask;
    }
    ids[i] = id;
    flows[i] = flow;
  }

  /**
   * Empties slot {@code i} and moves back every later entry of its probe run that may now sit
   * earlier, so that no lookup stops at the hole before reaching its key.
   */
  private void deleteAt(int i) {
    int mask = ids.length - 1;
    int hole = i;
    for (int j = (i + 1) & mask; ids[j] != 0; j = (j + 1) & mask) {
      int home = ids[j] & mask;
      // The entry at j may move to the hole unless its home lies cyclically in (hole, j].
      boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!homeAfterHole) {
        ids[hole] = ids[j];
        flows[hole] = flows[j];
        hole = j;
      }
    }
    ids[hole] = 0;
    flows[hole] = null;
  }

  private void resize(int capacity) {
    int[] oldIds = ids;
    OutboundFlow[] oldFlows = flows;
    ids = new int[capacity];
    flows = new OutboundFlow[capacity];
    for (int i = 0; i < oldIds.length; i++) {
      if (oldIds[i] != 0) {
        insert(oldIds[i], oldFlows[i]);
      }
    }
  }
}
