package io.vmqtt.it.proxy;

import io.vmqtt.it.fixture.RealProxy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One running proxy per {@link ProxyKind} for the tests of one class, started on first use and
 * closed by {@link #close()} (from {@code @AfterAll}): starting and stopping a danted costs more
 * than most tests through it. Tests that count tunnels count the ones they added. Used from the
 * test thread only.
 */
final class SharedProxies implements AutoCloseable {
  private final Map<ProxyKind, RealProxy> running = new LinkedHashMap<>();

  /** The running proxy of this kind, started now if it is not yet. */
  RealProxy get(ProxyKind kind) {
    return running.computeIfAbsent(kind, ProxyKind::startProxy);
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (RealProxy p : running.values()) {
      try {
        p.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    running.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
