package io.vmqtt.it.brokers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * HiveMQ CE in a class loader of its own, shared by every {@link HiveMq} of the JVM: the {@code
 * hivemq-launcher} module's classes and HiveMQ's dependencies, in HiveMQ's versions, with the
 * platform class loader as parent, so nothing of HiveMQ meets the tests' class path. The launcher
 * is called by reflection with JDK types only. Thread-safe: one lock guards the class loader.
 */
final class HiveMqRuntime {
  private static final String LAUNCHER_CLASS = "io.vmqtt.it.hivemq.EmbeddedHiveMqLauncher";
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static HiveMqRuntime instance; // guarded by LOCK

  private final Method start;
  private final String version;

  private HiveMqRuntime(Method start, String version) {
    this.start = start;
    this.version = version;
  }

  /**
   * The runtime, made on first use.
   *
   * @throws IllegalStateException when the launcher module is not built
   */
  static HiveMqRuntime get() {
    LOCK.lock();
    try {
      if (instance == null) {
        Class<?> launcher = Class.forName(LAUNCHER_CLASS, true, createLoader());
        Method start =
            launcher.getMethod(
                "start",
                Path.class,
                Path.class,
                Path.class,
                Map.class,
                boolean.class,
                List.class,
                Duration.class);
        String version = (String) launcher.getMethod("version").invoke(null);
        instance = new HiveMqRuntime(start, version);
      }
      return instance;
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(LAUNCHER_CLASS + " is not in " + launcherDirectory(), e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(LAUNCHER_CLASS + " does not have the expected methods", e);
    } finally {
      LOCK.unlock();
    }
  }

  /** The HiveMQ CE version in the class loader, e.g. {@code 2025.5}. */
  String version() {
    return version;
  }

  /**
   * Starts a HiveMQ and waits until it has started (see the launcher's {@code start}).
   *
   * @return the handle whose {@code close()} stops it
   * @throws Exception HiveMQ's failure to start
   */
  AutoCloseable start(
      Path conf,
      Path data,
      Path extensions,
      Map<String, String> users,
      boolean allowAnonymous,
      List<String> refusedSubscriptions,
      Duration timeout)
      throws Exception {
    try {
      return (AutoCloseable)
          start.invoke(
              null, conf, data, extensions, users, allowAnonymous, refusedSubscriptions, timeout);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** {@code hivemq-launcher/target}: the system property {@value HiveMq#LAUNCHER_PROPERTY}. */
  static Path launcherDirectory() {
    return Path.of(System.getProperty(HiveMq.LAUNCHER_PROPERTY, "../hivemq-launcher/target"))
        .toAbsolutePath()
        .normalize();
  }

  private static ClassLoader createLoader() {
    Path target = launcherDirectory();
    Path classes = target.resolve("classes");
    Path classpathFile = target.resolve("hivemq.classpath");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          "the hivemq-launcher module is not built: no "
              + classes
              + " or "
              + classpathFile
              + "; it is built with -Pbroker-matrix, e.g. ./mvnw -pl integration-tests -am verify"
              + " -Pbroker-matrix, or point -D"
              + HiveMq.LAUNCHER_PROPERTY
              + " at its target directory");
    }
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(classes.toUri().toURL());
      for (String entry : Files.readString(classpathFile).trim().split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          urls.add(Path.of(entry).toUri().toURL());
        }
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException("bad entry in " + classpathFile, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classpathFile, e);
    }
    return new URLClassLoader(
        "hivemq", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }
}
