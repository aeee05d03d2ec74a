package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeldFlowsTest {
  private static OutboundFlow flow(long sequence, int id) {
    return new OutboundFlow(
        sequence,
        Long.MAX_VALUE,
        id,
        new PublishPacket("t", new byte[0], QoS.AT_LEAST_ONCE, false, false, id),
        OutboundFlow.Awaiting.PUBACK);
  }

  @Test
  void aFlowIsFoundByItsPacketIdUntilRemovedAndOnlyByTheFlowThatHoldsIt() {
    HeldFlows held = new HeldFlows();
    OutboundFlow a = flow(0, 7);
    held.put(7, a);

    assertThat(held.get(7)).isSameAs(a);
    assertThat(held.get(8)).isNull();
    assertThat(held.remove(7, flow(1, 7))).isFalse();
    assertThat(held.remove(7, a)).isTrue();
    assertThat(held.get(7)).isNull();
    assertThat(held.isEmpty()).isTrue();
  }

  @Test
  void idsThatCollideInTheTableAreAllFoundAfterAnyOfThemIsRemoved() {
    HeldFlows held = new HeldFlows();
    // 16 slots at first: 1, 17, 33 share slot 1, and 2 is pushed behind them.
    int[] ids = {1, 17, 33, 2, 16, 32};
    for (int i = 0; i < 5; i++) {
      held.put(ids[i], flow(i, ids[i]));
    }
    held.remove(17);

    assertThat(held.get(1).packetId).isEqualTo(1);
    assertThat(held.get(33).packetId).isEqualTo(33);
    assertThat(held.get(2).packetId).isEqualTo(2);
    assertThat(held.get(16).packetId).isEqualTo(16);
    assertThat(held.get(17)).isNull();
  }

  @Test
  void aRunWrappingAroundTheEndOfTheTableSurvivesARemovalAtItsStart() {
    HeldFlows held = new HeldFlows();
    held.put(15, flow(0, 15));
    held.put(31, flow(1, 31)); // slot 15 taken: wraps to slot 0
    held.put(47, flow(2, 47)); // wraps to slot 1
    held.remove(15);

    assertThat(held.get(31).packetId).isEqualTo(31);
    assertThat(held.get(47).packetId).isEqualTo(47);
  }

  @Test
  void flowsComeOutInTheOrderTheyWereMadeNotByPacketId() {
    HeldFlows held = new HeldFlows();
    held.put(65_535, flow(0, 65_535));
    held.put(1, flow(1, 1));
    held.put(2, flow(2, 2));

    assertThat(held.inOrder()).extracting(f -> f.packetId).containsExactly(65_535, 1, 2);
  }

  @Test
  void thousandsOfRandomPutsAndRemovesAgreeWithAHashMapWhileTheTableGrowsAndShrinks() {
    HeldFlows held = new HeldFlows();
    Map<Integer, OutboundFlow> expected = new HashMap<>();
    Random random = new Random(13);
    long sequence = 0;
    for (int step = 0; step < 200_000; step++) {
      int id = 1 + random.nextInt(step < 100_000 ? 65_535 : 300);
      OutboundFlow f = expected.get(id);
      if (f == null) {
        f = flow(sequence++, id);
        held.put(id, f);
        expected.put(id, f);
      } else if (random.nextInt(3) > 0) {
        assertThat(held.remove(id, f)).isTrue();
        expected.remove(id);
      }
      assertThat(held.get(id)).isSameAs(expected.get(id));
    }
    List<OutboundFlow> all = new ArrayList<>(expected.values());
    all.sort((x, y) -> Long.compare(x.sequence, y.sequence));
    assertThat(held.inOrder()).containsExactlyElementsOf(all);
    for (OutboundFlow f : all) {
      assertThat(held.remove(f.packetId, f)).isTrue();
    }
    assertThat(held.isEmpty()).isTrue();
  }
}
