package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.Will;
import io.vmqtt.spi.AuthenticationContext;
import io.vmqtt.spi.Authenticator;
import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportTarget;
import io.vmqtt.vthreads.internal.codec.CodecContext;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.ConnectPacket;
import io.vmqtt.vthreads.internal.codec.MqttLimits;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opening one connection: the transport, CONNECT, and the wait for CONNACK, all within {@code
 * connect_timeout}. Used once per attempt, on the connecting thread.
 */
final class Handshake {
  private final String clientId;
  private final MqttConfig config;
  private final PacketTrace trace;
  private final Connection.Listener listener;
  private final Duration timeout;
  private final long deadline;
  private ProtocolLevel level;

  /** MQTT 5 enhanced authentication: the method and this CONNECT's exchange; else null. */
  private Authentication authentication;

  private Authenticator.Exchange exchange;

  /** The exchange's Authentication Data for CONNECT. */
  private byte[] initialData;

  Handshake(String clientId, MqttConfig config, PacketTrace trace, Connection.Listener listener) {
    this.clientId = clientId;
    this.config = config;
    this.trace = trace;
    this.listener = listener;
    this.timeout = config.connectTimeout();
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  /**
   * Opens the transport; the connection's threads are not started yet, so nothing can arrive before
   * its owner has recorded it ({@link #start}).
   *
   * @throws ConnectException when the transport cannot be opened
   */
  Connection open(BrokerAddress address, ConnectOptions options) {
    level = ProtocolLevel.of(options.protocolVersion().orElse(config.protocolVersion()));
    AuthChannel auth = null;
    if (level == ProtocolLevel.MQTT_5 && config.authenticator().isPresent()) {
      // Started before anything is opened: a method that cannot start costs no connection.
      authentication = new Authentication(config.authenticator().get());
      Credentials credentials = credentials(address, options);
      AuthenticationContext context =
          AuthenticationContext.of(clientId, credentials.username(), credentials.password(), false);
      try {
        exchange = authentication.start(context);
        initialData = exchange.initialData();
      } catch (RuntimeException e) {
        throw new ConnectException(
            "cannot authenticate client '"
                + clientId
                + "' with "
                + authentication.method()
                + " to "
                + address
                + ": "
                + e.getMessage(),
            e);
      }
      auth = new AuthChannel(authentication.method(), context, timeout);
    }
    Transport transport;
    try {
      transport =
          address
              .provider()
              .open(
                  new TransportTarget(
                      address.uri(), address.host(), address.port(), timeout, options, config));
    } catch (IOException | RuntimeException e) {
      throw new ConnectException(cannotConnect(address, e), e);
    }
    Connection c =
        new Connection(
            clientId,
            address,
            options,
            transport,
            listener,
            trace,
            // One codec per connection: nothing negotiated carries over to the next.
            level.newCodec(
                new CodecContext(
                    config.maxPacketSize(),
                    level == ProtocolLevel.MQTT_5 ? config.outboundTopicAliases() : 0)),
            level == ProtocolLevel.MQTT_5 ? config.topicAliasMaximum() : 0,
            auth,
            config.pingDelay(),
            config.operationTimeout());
    return c;
  }

  /** Starts the connection's threads and sends CONNECT. */
  void start(Connection c) {
    c.start(connectPacket(c.address(), c.options()));
  }

  /**
   * "cannot connect to <address>: <why>". Transports name their target in their messages (the SPI
   * asks it); where the TCP connection itself failed, theirs already reads "cannot connect to
   * <endpoint>: …", which is not said twice.
   */
  private static String cannotConnect(BrokerAddress address, Exception e) {
    String why = String.valueOf(e.getMessage());
    return why.startsWith("cannot connect to ") ? why : "cannot connect to " + address + ": " + why;
  }

  /**
   * Waits for CONNACK.
   *
   * @throws ConnectException when it refuses, fails, or does not come in time
   */
  Connack await(Connection c, BrokerAddress address) throws InterruptedException {
    if (exchange != null) {
      try {
        authentication.handshake(c, exchange, address, deadline, timeout);
      } catch (InterruptedException e) {
        c.fail(new ClosedByClient("connect interrupted"));
        throw e;
      }
    }
    ConnackPacket ack;
    try {
      ack = c.connack().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      ConnectException failure =
          new ConnectException(
              "no CONNACK from "
                  + address
                  + " within "
                  + timeout.toMillis()
                  + " ms (connect_timeout)",
              e);
      c.fail(failure);
      throw failure;
    } catch (ExecutionException e) {
      ConnackPacket accepted = c.accepted();
      if (accepted != null) {
        // Accepted, then lost before the future could say so: the connect succeeded, and the
        // loss is handled as any loss of an accepted connection.
        return ReceivedProperties.connack(accepted, level);
      }
      Throwable cause = e.getCause();
      throw new ConnectException(
          "connection to " + address + " failed before CONNACK: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      c.fail(new ClosedByClient("connect interrupted"));
      throw e;
    }
    if (ack.returnCode() != 0) {
      c.fail(new ClosedByClient("CONNACK refused"));
      Connack refusal = ReceivedProperties.connack(ack, level);
      throw new ConnectException(
          "broker "
              + address
              + " refused the connection of client '"
              + clientId
              + "': "
              + describeRefusal(refusal),
          refusal);
    }
    return ReceivedProperties.connack(ack, level);
  }

  /**
   * "return code 5 (not authorized)", or with MQTT 5 "reason code 0x87 (not authorized): why", the
   * broker's Reason String last.
   */
  private String describeRefusal(Connack refusal) {
    return (level == ProtocolLevel.MQTT_5
            ? "reason code 0x" + Integer.toHexString(refusal.returnCode()).toUpperCase(Locale.ROOT)
            : "return code " + refusal.returnCode())
        + " ("
        + refusal.reasonCode().description()
        + ")"
        + refusal.reasonString().map(r -> ": " + r).orElse("");
  }

  /** A user name and password, either possibly null. */
  private record Credentials(String username, byte[] password) {}

  /** The URI's user info wins over the configuration's; the connect options' over both. */
  private Credentials credentials(BrokerAddress address, ConnectOptions options) {
    String username = config.username().orElse(null);
    byte[] password = config.password().orElse(null);
    if (address.username() != null) {
      username = address.username();
      password =
          address.password() == null ? null : address.password().getBytes(StandardCharsets.UTF_8);
    }
    if (options.username().isPresent()) {
      username = options.username().get();
      password = options.password().orElse(null);
    }
    return new Credentials(username, password);
  }

  private ConnectPacket connectPacket(BrokerAddress address, ConnectOptions options) {
    Credentials credentials = credentials(address, options);
    boolean cleanSession = options.cleanSession().orElse(config.cleanSession());
    Will will = config.will().orElse(null);
    boolean mqtt5 = level == ProtocolLevel.MQTT_5;
    return new ConnectPacket(
        level.value(),
        clientId,
        cleanSession,
        (int) config.keepAlive().toSeconds(),
        will,
        credentials.username(),
        // With enhanced authentication the password is the method's: it never goes in clear.
        exchange != null ? null : credentials.password(),
        mqtt5 ? connectProperties(options) : Properties.EMPTY,
        mqtt5 && will != null ? OutboundProperties.of(will) : Properties.EMPTY);
  }

  /**
   * MQTT 5's CONNECT properties, each left out where its value is the protocol's default. Clean
   * Start is the {@code cleansession} flag; the Session Expiry Interval is {@link
   * ConnectionSettings#requestedSessionExpiry}.
   */
  private Properties connectProperties(ConnectOptions options) {
    Properties.Builder p = Properties.builder();
    long expiry = ConnectionSettings.requestedSessionExpiry(config, options);
    if (expiry != 0) {
      p.sessionExpiryInterval(expiry);
    }
    if (config.receiveMaximum() != ConnectionSettings.MAX_RECEIVE_MAXIMUM) {
      p.receiveMaximum(config.receiveMaximum());
    }
    if (config.maxPacketSize() < MqttLimits.MAX_PACKET_SIZE) {
      p.maximumPacketSize(config.maxPacketSize());
    }
    if (config.topicAliasMaximum() != 0) {
      p.topicAliasMaximum(config.topicAliasMaximum());
    }
    if (config.requestResponseInformation()) {
      p.requestResponseInformation(true);
    }
    options.userProperties().forEach(u -> p.userProperty(u.name(), u.value()));
    if (exchange != null) {
      // [MQTT-4.12.0-5]: the method every AUTH and the accepting CONNACK will name.
      Authentication.properties(p, authentication.method(), initialData);
    }
    return p.build();
  }
}
