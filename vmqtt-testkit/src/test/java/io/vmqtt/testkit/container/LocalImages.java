package io.vmqtt.testkit.container;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;

/**
 * A mosquitto image built here, for machines that reach no image registry: {@code FROM scratch}
 * with the host's {@code /usr/sbin/mosquitto} and the libraries {@code ldd} lists, laid out like
 * the official image (config in {@code /mosquitto/config}), run as nobody (there is no {@code
 * /etc/passwd} to switch users with). See {@code testcontainers-without-a-registry.md} in the
 * team's shared notes for what was measured.
 *
 * <p>{@link #requireDocker()} aborts the calling test, with the reason, when no Docker daemon
 * answers: the container tests are then skipped, never silently and never failed.
 */
public final class LocalImages {
  /** A fixed tag, so Docker's build cache makes every build after the first quick. */
  public static final String TAG = "vmqtt-testkit-mosquitto:host";

  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

  private LocalImages() {}

  /** Aborts the test (JUnit: skipped) with the reason when Docker cannot be used here. */
  static void requireDocker() {
    String reason = System.getenv("VMQTT_DOCKER_UNAVAILABLE");
    if (reason != null && !reason.isBlank()) {
      skip("Docker is not available: " + reason);
    }
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      skip("Docker is not available: no Docker daemon answered (start dockerd; ./run-tests does)");
    }
    if (!Files.isExecutable(MOSQUITTO)) {
      skip("the image is built from the host's mosquitto, and " + MOSQUITTO + " is missing");
    }
  }

  private static void skip(String reason) {
    System.err.println("container tests skipped: " + reason);
    abort(reason);
  }

  /** Builds the image as {@link #TAG} (a couple of seconds; then cached by the daemon). */
  static void build() throws Exception {
    image().get();
  }

  /**
   * Aborts the calling test with the reason when Docker cannot be used here, else builds {@link
   * #TAG}.
   */
  public static void requireMosquittoImage() throws Exception {
    requireDocker();
    build();
  }

  /** A port of 127.0.0.1 that was free a moment ago, for a container in the host's network. */
  static int freePort() throws IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static ImageFromDockerfile image() {
    ImageFromDockerfile image = new ImageFromDockerfile(TAG, false);
    for (Path file : hostFiles()) {
      try {
        image.withFileFromPath("rootfs" + file, file.toRealPath());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    image.withFileFromTransferable(
        "rootfs/mosquitto/config/README", Transferable.of("the config is copied here\n"));
    // Given as a transferable, not a path: Testcontainers then pulls no FROM image first.
    image.withFileFromTransferable(
        "Dockerfile",
        Transferable.of(
            "FROM scratch\n"
                + "COPY rootfs/ /\n"
                + "USER 65534:65534\n"
                + "ENTRYPOINT [\"/usr/sbin/mosquitto\", \"-c\", \""
                + MosquittoContainer.CONFIG_PATH
                + "\"]\n"));
    return image;
  }

  /** mosquitto and every library it loads, as {@code ldd} lists them. */
  private static List<Path> hostFiles() {
    List<Path> files = new ArrayList<>(List.of(MOSQUITTO));
    try {
      Process ldd =
          new ProcessBuilder("ldd", MOSQUITTO.toString()).redirectErrorStream(true).start();
      String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!ldd.waitFor(10, TimeUnit.SECONDS) || ldd.exitValue() != 0) {
        throw new IllegalStateException("ldd " + MOSQUITTO + " failed:\n" + output);
      }
      Matcher m = Pattern.compile("(/\\S+)").matcher(output);
      while (m.find()) {
        Path library = Path.of(m.group(1));
        if (Files.isRegularFile(library) && !files.contains(library)) {
          files.add(library);
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run ldd", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running ldd", e);
    }
  }
}
