package io.vmqtt.it.hivemq;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops an embedded HiveMQ CE broker. It lives in the class loader that holds HiveMQ and
 * its dependencies; the integration tests' {@code HiveMqBroker} fixture calls its two static
 * methods by reflection and talks to it through JDK types only ({@link Path}, {@link Map}, {@link
 * AutoCloseable}), so no HiveMQ class ever meets the tests' class path.
 *
 * <p>The broker's listeners, MQTT limits, persistence and logging come from the {@code config.xml}
 * and {@code logback.xml} the fixture writes into the configuration folder. HiveMQ CE has no
 * authentication of its own (it lets every client in); with users, an embedded extension checks the
 * user name and password of every CONNECT, as HiveMQ's file-RBAC extension would. It grants every
 * authenticated client all topics.
 *
 * <p>Thread-safety: {@link #start} may be called from any thread, for several brokers at once; the
 * returned handle's {@code close()} is idempotent.
 */
public final class EmbeddedHiveMqLauncher {
  private EmbeddedHiveMqLauncher() {}

  /** The HiveMQ CE version on this class loader's class path, e.g. {@code 2025.5}. */
  public static String version() {
    String version = EmbeddedHiveMQ.class.getPackage().getImplementationVersion();
    return version != null ? version : "unknown";
  }

  /**
   * Starts HiveMQ CE and waits until it has started.
   *
   * @param configFolder holds {@code config.xml} (and {@code logback.xml})
   * @param dataFolder where HiveMQ keeps its data and writes its log
   * @param extensionsFolder HiveMQ's extensions folder (may be empty)
   * @param users user name to password; empty for HiveMQ's default: no authentication at all
   * @param allowAnonymous with users, whether a CONNECT without a user name is let in
   * @param refusedSubscriptions topic filters whose SUBSCRIBE is refused with 0x87 (not authorized,
   *     MQTT 3.1.1: 0x80); empty for none
   * @param timeout how long to wait for the start
   * @return a handle whose {@code close()} stops the broker, waiting up to {@code timeout}
   * @throws Exception when HiveMQ does not start in time, with HiveMQ's cause
   */
  public static AutoCloseable start(
      Path configFolder,
      Path dataFolder,
      Path extensionsFolder,
      Map<String, String> users,
      boolean allowAnonymous,
      List<String> refusedSubscriptions,
      Duration timeout)
      throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // JAXB (HiveMQ's config reader) and HiveMQ's extension loading look services up through the
    // context class loader; the threads HiveMQ starts inherit it.
    thread.setContextClassLoader(EmbeddedHiveMqLauncher.class.getClassLoader());
    try {
      configureLogging(configFolder.resolve("logback.xml"));
      EmbeddedHiveMQBuilder builder =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(configFolder)
              .withDataFolder(dataFolder)
              .withExtensionsFolder(extensionsFolder);
      if (!users.isEmpty() || !refusedSubscriptions.isEmpty()) {
        builder.withEmbeddedExtension(
            security(Map.copyOf(users), allowAnonymous, Set.copyOf(refusedSubscriptions)));
      }
      EmbeddedHiveMQ hivemq = builder.build();
      try {
        hivemq.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
        stop(hivemq, timeout);
        throw e;
      }
      return new Handle(hivemq, timeout);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /**
   * Configures this class loader's logback from {@code logback.xml} before HiveMQ logs anything:
   * until HiveMQ's logging bootstrap reads the same file, logback would use the console
   * configuration in HiveMQ's jar.
   */
  private static void configureLogging(Path logbackXml) throws JoranException {
    if (!Files.isRegularFile(logbackXml)) {
      return;
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(logbackXml.toFile());
  }

  private static void stop(EmbeddedHiveMQ hivemq, Duration timeout) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(EmbeddedHiveMqLauncher.class.getClassLoader());
    try {
      try {
        hivemq.stop().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        hivemq.close();
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Checks users (when there are any) and refuses subscriptions (when told to). */
  private static EmbeddedExtension security(
      Map<String, String> users, boolean allowAnonymous, Set<String> refusedSubscriptions) {
    ExtensionMain main =
        new ExtensionMain() {
          @Override
          public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            if (!users.isEmpty()) {
              Services.securityRegistry()
                  .setAuthenticatorProvider(
                      providerInput -> new PasswordAuthenticator(users, allowAnonymous));
            }
            if (!refusedSubscriptions.isEmpty()) {
              Services.securityRegistry()
                  .setAuthorizerProvider(
                      providerInput -> new SubscriptionRefuser(refusedSubscriptions));
            }
          }

          @Override
          public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
        };
    return EmbeddedExtension.builder()
        .withId("vmqtt-test-users")
        .withName("vmqtt test users")
        .withVersion("1")
        .withAuthor("vmqtt")
        .withPriority(0)
        .withStartPriority(1000)
        .withExtensionMain(main)
        .build();
  }

  /**
   * Lets in a CONNECT whose user name and password match, and (when allowed) one without a user
   * name; refuses a wrong password or an unknown user with "bad user name or password" (MQTT 3.1.1
   * return code 4, MQTT 5 reason code 0x86) and a CONNECT without a user name, when anonymous
   * clients are not allowed, with "not authorized" (5, 0x87). Runs on HiveMQ's extension threads.
   */
  private record PasswordAuthenticator(Map<String, String> users, boolean allowAnonymous)
      implements SimpleAuthenticator {
    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
      ConnectPacket connect = input.getConnectPacket();
      Optional<String> user = connect.getUserName();
      if (user.isEmpty()) {
        if (allowAnonymous) {
          output.authenticateSuccessfully();
        } else {
          output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "no user name");
        }
        return;
      }
      String expected = users.get(user.get());
      byte[] given = connect.getPassword().map(PasswordAuthenticator::bytes).orElse(null);
      if (expected != null
          && given != null
          && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given)) {
        output.authenticateSuccessfully();
      } else {
        output.failAuthentication(
            ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
      }
    }

    private static byte[] bytes(ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
  }

  /**
   * Refuses a subscription to one of its topic filters with "not authorized" (MQTT 5 reason code
   * 0x87; an MQTT 3.1.1 client sees 0x80) and grants every other. Runs on HiveMQ's extension
   * threads.
   */
  private record SubscriptionRefuser(Set<String> refused) implements SubscriptionAuthorizer {
    @Override
    public void authorizeSubscribe(
        SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
      String filter = input.getSubscription().getTopicFilter();
      if (refused.contains(filter)) {
        output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "refused by the test: " + filter);
      } else {
        output.authorizeSuccessfully();
      }
    }
  }

  /** Stops the broker on the first {@code close()}; later calls return at once. */
  private static final class Handle implements AutoCloseable {
    private final EmbeddedHiveMQ hivemq;
    private final Duration timeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    Handle(EmbeddedHiveMQ hivemq, Duration timeout) {
      this.hivemq = hivemq;
      this.timeout = timeout;
    }

    @Override
    public void close() throws Exception {
      if (closed.compareAndSet(false, true)) {
        stop(hivemq, timeout);
      }
    }
  }
}
