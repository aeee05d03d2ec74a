package io.vmqtt.it.pinning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** The pinning guard can fail: each kind of pin it is meant to catch, caught. */
@WithoutPinningGuard("it tests the pinning guard with carriers pinned on purpose")
class PinningRecorderTest {
  private static final String SLEEPER = ClinitSleeper.class.getName() + ".<clinit>";

  @Test
  void aVirtualThreadBlockingInAClassInitializerIsReportedWithItsStack() throws Exception {
    PinningRecorder recorder = PinningRecorder.start(Duration.ZERO, PinningRecorder.EXCUSED);
    PinningRecorder.Result result;
    try {
      DeliberatePin.inAClassInitializer();
    } finally {
      result = recorder.stop();
    }

    assertThat(result.pins()).hasSize(1);
    PinningRecorder.Pin pin = result.pins().get(0);
    assertThat(pin.thread()).isEqualTo("deliberate-pin");
    assertThat(pin.duration()).isPositive();
    assertThat(pin.frames()).anyMatch(f -> f.startsWith(SLEEPER));
    assertThat(pin.describe())
        .startsWith("carrier pinned for ")
        .contains("by deliberate-pin")
        .contains("\n    at " + SLEEPER);
    assertThat(result.excused()).isEmpty();
  }

  @Test
  void aPinWithAFrameOfAnExcusedClassIsExcusedNotReported() throws Exception {
    PinningRecorder recorder =
        PinningRecorder.start(Duration.ZERO, List.of(ClinitSleeper.class.getName()));
    PinningRecorder.Result result;
    try {
      DeliberatePin.inAClassInitializer();
    } finally {
      result = recorder.stop();
    }

    assertThat(result.pins()).isEmpty();
    assertThat(result.excused()).hasSize(1);
  }

  @Test
  void aPinIsExcusedByABouncyCastleFrameALibrarysClassInitializerOrTheJdksInternals() {
    PinningRecorder.Pin bouncyCastle =
        pin(
            "-",
            "java.lang.VirtualThread.parkOnCarrierThread:1",
            "org.bouncycastle.tls.TlsProtocol.safeWriteRecord:2",
            "io.vmqtt.vthreads.internal.Writer.run:3");
    PinningRecorder.Pin classInitWait =
        pin(
            "Waited for initialization of sun.nio.ch.Poller by another thread",
            "sun.nio.ch.NioSocketImpl.park:174",
            "io.vmqtt.websocket.internal.WebSocketTransport.readLoop:226");
    PinningRecorder.Pin jdkCriticalSection =
        pin(
            "Freeze or preempt failed (2)",
            "sun.nio.ch.NioSocketImpl.park:174",
            "io.vmqtt.websocket.internal.WebSocketTransport.readLoop:226");
    PinningRecorder.Pin libraryInitializer =
        pin(
            "VM call to org.java_websocket.enums.CloseHandshakeType.<clinit> on stack",
            "org.java_websocket.enums.CloseHandshakeType.<clinit>:6",
            "io.vmqtt.websocket.internal.WebSocketTransport.sendCloseFrame:314");
    PinningRecorder.Pin ourInitializer =
        pin(
            "VM call to io.vmqtt.it.pinning.ClinitSleeper.<clinit> on stack",
            "io.vmqtt.it.pinning.ClinitSleeper.<clinit>:13");
    PinningRecorder.Pin ours =
        pin(
            "Native or VM frame on stack",
            "java.lang.VirtualThread.parkOnCarrierThread:1",
            "io.vmqtt.vthreads.internal.X.y:9");

    assertThat(PinningRecorder.excuse(bouncyCastle, PinningRecorder.EXCUSED))
        .contains("a frame of org.bouncycastle.*");
    assertThat(PinningRecorder.excuse(classInitWait, PinningRecorder.EXCUSED))
        .contains("a wait for another thread's class initialization");
    assertThat(PinningRecorder.excuse(jdkCriticalSection, PinningRecorder.EXCUSED))
        .contains("inside a critical section of the JDK");
    assertThat(PinningRecorder.excuse(ours, PinningRecorder.EXCUSED)).isEmpty();
    assertThat(PinningRecorder.excuse(libraryInitializer, PinningRecorder.EXCUSED))
        .contains("inside a library's class initializer, which runs once per JVM");
    assertThat(PinningRecorder.excuse(ourInitializer, PinningRecorder.EXCUSED))
        .as("an initializer of ours that blocks is reported")
        .isEmpty();
    assertThat(
            PinningRecorder.excuse(
                pin("Freeze or preempt failed (3)", "io.vmqtt.X.y:1"), PinningRecorder.EXCUSED))
        .as("a native frame (3) is not the JDK's critical section")
        .isEmpty();
  }

  private static PinningRecorder.Pin pin(String reason, String... frames) {
    return new PinningRecorder.Pin("t", Duration.ofMillis(1), reason, "-", List.of(frames));
  }

  @Test
  void bouncyCastleIsTheOneExcusedName() {
    assertThat(PinningRecorder.EXCUSED).containsExactly("org.bouncycastle.");
  }

  @Test
  void nothingIsReportedWhenNoThreadPins() throws Exception {
    PinningRecorder recorder = PinningRecorder.start(Duration.ZERO, PinningRecorder.EXCUSED);
    Thread.ofVirtual().start(() -> {}).join();

    assertThat(recorder.stop().pins()).isEmpty();
  }

  /** Java 21 to 23 only: from 24 on (JEP 491) a monitor no longer pins. */
  @Test
  void aVirtualThreadBlockingInsideSynchronizedIsReportedBeforeJava24() throws Exception {
    assumeTrue(
        Runtime.version().feature() < 24,
        "synchronized does not pin on Java " + Runtime.version().feature() + " (JEP 491)");
    PinningRecorder recorder = PinningRecorder.start(Duration.ZERO, PinningRecorder.EXCUSED);
    PinningRecorder.Result result;
    try {
      DeliberatePin.inSynchronized();
    } finally {
      result = recorder.stop();
    }

    assertThat(result.pins()).hasSize(1);
    assertThat(result.pins().get(0).thread()).isEqualTo("deliberate-pin-synchronized");
  }

  @Test
  void theGuardFailsAGuardedTestClassInWhichACarrierIsPinned() {
    EngineExecutionResults results = runWithTheGuard(PinsACarrier.class);

    assertThat(results.testEvents().succeeded().count()).as("the test itself passes").isEqualTo(1);
    List<Event> failed = results.containerEvents().failed().list();
    assertThat(failed).hasSize(1);
    Throwable failure =
        failed
            .get(0)
            .getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .orElseThrow()
            .getThrowable()
            .orElseThrow();
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "a virtual thread pinned its carrier 1 time(s) while PinsACarrier ran")
        .hasMessageContaining("by deliberate-pin")
        .hasMessageContaining(SLEEPER);
  }

  @Test
  void theGuardLetsAGuardedTestClassWithoutPinsPass() {
    EngineExecutionResults results = runWithTheGuard(PinsNothing.class);

    assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
    assertThat(results.containerEvents().failed().count()).isZero();
  }

  @Test
  void theGuardCoversTheSuitesButNotTheFixturesNorItsOwnTests() throws ClassNotFoundException {
    for (String suite :
        List.of(
            "io.vmqtt.it.PublishTest",
            "io.vmqtt.it.fake.PublishFlowTest",
            "io.vmqtt.it.resilience.ProcessCrashTest")) {
      assertThat(PinningGuard.guards(Class.forName(suite))).as(suite).isTrue();
    }
    assertThat(PinningGuard.guards(PinsACarrier.class)).isTrue();
    assertThat(PinningGuard.guards(Class.forName("io.vmqtt.it.fixture.FaultProxyTest"))).isFalse();
    assertThat(PinningGuard.guards(PinningRecorderTest.class)).isFalse();
  }

  /** Runs a test class in a JUnit engine of its own, with extension auto-detection as here. */
  private static EngineExecutionResults runWithTheGuard(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(testClass))
        .execute();
  }

  /** A guarded class (not run by Surefire: a nested class) whose test pins a carrier. */
  static class PinsACarrier {
    @Test
    void pins() throws Exception {
      DeliberatePin.inAClassInitializer();
    }
  }

  /** A guarded class whose test runs a virtual thread that does not pin. */
  static class PinsNothing {
    @Test
    void doesNotPin() throws Exception {
      Thread.ofVirtual().start(() -> {}).join();
    }
  }
}
