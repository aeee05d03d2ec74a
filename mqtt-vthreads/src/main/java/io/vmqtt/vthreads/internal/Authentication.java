package io.vmqtt.vthreads.internal;

import io.vmqtt.AuthenticationException;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.DisconnectedByBrokerException;
import io.vmqtt.spi.AuthenticationContext;
import io.vmqtt.spi.Authenticator;
import io.vmqtt.vthreads.internal.codec.AuthPacket;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolViolationException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The steps of MQTT 5 enhanced authentication (section 4.12) with one {@link Authenticator}: the
 * exchange of a CONNECT, up to the CONNACK whose data the authenticator accepted, and a
 * re-authentication of a live connection (section 4.12.1). Each step runs on the thread that
 * authenticates (connect, reconnect or {@code reauthenticate}); the connection's {@link
 * AuthChannel} brings the server's packets from the reader. So the authenticator, which may block,
 * never runs on the reader or writer, nor under a lock of the client.
 *
 * <p>When the authenticator refuses (it throws), the client sends DISCONNECT with reason code 0x80
 * (Unspecified error: 0x87 Not authorized is the server's, Table 3-10) and the reason as Reason
 * String, and closes the connection [MQTT-4.12.1-2].
 *
 * <p>Thread-safe (stateless but for the authenticator).
 */
final class Authentication {
  /** DISCONNECT reason code 0x80, Unspecified error: what a client may send (Table 3-10). */
  static final int UNSPECIFIED_ERROR = 0x80;

  private final Authenticator authenticator;

  Authentication(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  String method() {
    return authenticator.method();
  }

  /**
   * Starts the exchange of a CONNECT.
   *
   * @throws AuthenticationException when the authenticator cannot start
   */
  Authenticator.Exchange start(AuthenticationContext context) {
    Authenticator.Exchange exchange = authenticator.start(context);
    if (exchange == null) {
      throw new AuthenticationException(
          "the authenticator " + authenticator + " of " + method() + " started no exchange");
    }
    return exchange;
  }

  /** Authentication Method and (unless empty) Data, for CONNECT or AUTH. */
  static Properties.Builder properties(Properties.Builder p, String method, byte[] data) {
    p.authenticationMethod(method);
    if (data != null && data.length > 0) {
      p.authenticationData(data);
    }
    return p;
  }

  private static byte[] data(Properties p) {
    return p.authenticationData().orElse(new byte[0]);
  }

  /**
   * The exchange of a CONNECT, on the connecting thread: answers each AUTH 0x18 with AUTH 0x18
   * [MQTT-4.12.0-3] until CONNACK, whose data the authenticator must accept before the connection
   * is used. Returns when the CONNACK came (a refusal is reported by the caller, from the CONNACK),
   * or the connection failed (likewise).
   *
   * @throws ConnectException when the authenticator refused, CONNACK carried another method, or
   *     nothing came by {@code deadline}
   */
  void handshake(
      Connection c,
      Authenticator.Exchange exchange,
      BrokerAddress address,
      long deadline,
      Duration timeout)
      throws InterruptedException {
    AuthChannel channel = c.auth();
    while (true) {
      Packet p;
      try {
        p = channel.next(deadline);
      } catch (TimeoutException e) {
        ConnectException failure =
            new ConnectException(
                "no CONNACK from "
                    + address
                    + " within "
                    + timeout.toMillis()
                    + " ms (connect_timeout), during the "
                    + method()
                    + " authentication",
                e);
        c.fail(failure);
        throw failure;
      }
      switch (p) {
        case null -> {
          return; // failed: the CONNACK future says why
        }
        case AuthPacket auth -> answer(c, exchange, auth, address);
        case ConnackPacket connack -> {
          if (connack.returnCode() == 0) {
            verify(c, exchange, connack, address);
            channel.accept();
          }
          return;
        }
        default -> throw new IllegalStateException("not an authentication packet: " + p);
      }
    }
  }

  private void answer(
      Connection c, Authenticator.Exchange exchange, AuthPacket auth, BrokerAddress address)
      throws InterruptedException {
    byte[] reply;
    try {
      reply = exchange.challenge(data(auth.properties()));
    } catch (RuntimeException e) {
      throw refused(c, e, address);
    }
    send(c, AuthChannel.CONTINUE, reply);
  }

  /** [MQTT-4.12.0-5]: an accepting CONNACK names the method; its data must satisfy ours. */
  private void verify(
      Connection c, Authenticator.Exchange exchange, ConnackPacket connack, BrokerAddress address) {
    String theirs = connack.properties().authenticationMethod().orElse("");
    if (!theirs.equals(method())) {
      ProtocolViolationException v =
          new ProtocolViolationException(
              ProtocolViolationException.PROTOCOL_ERROR,
              "Protocol violation: CONNACK accepted with Authentication Method '"
                  + theirs
                  + "' a CONNECT with '"
                  + method()
                  + "' [MQTT-4.12.0-5]");
      c.failWithDisconnect(v.reasonCode(), v);
      throw new ConnectException("connection to " + address + " failed: " + v.getMessage(), v);
    }
    try {
      exchange.success(data(connack.properties()));
    } catch (RuntimeException e) {
      throw refused(c, e, address);
    }
  }

  private ConnectException refused(Connection c, RuntimeException e, BrokerAddress address) {
    AuthenticationException why = asAuthenticationFailure(e);
    c.failWithDisconnect(UNSPECIFIED_ERROR, why);
    return new ConnectException(
        "authentication of client '"
            + c.clientId()
            + "' with "
            + address
            + " failed: "
            + why.getMessage(),
        why);
  }

  private AuthenticationException asAuthenticationFailure(RuntimeException e) {
    return e instanceof AuthenticationException a
        ? a
        : new AuthenticationException("the " + method() + " authenticator failed: " + e, e);
  }

  private static void send(Connection c, int reasonCode, byte[] data) {
    String method = c.auth().method();
    // The urgent queue: at most one AUTH of ours is outstanding, so it needs no bound. When the
    // connection failed meanwhile, it is dropped, and the next wait says so.
    c.writer()
        .sendUrgent(
            new AuthPacket(reasonCode, properties(Properties.builder(), method, data).build()));
  }

  /**
   * Re-authenticates the live connection {@code c} [MQTT-4.12.1-1]: AUTH 0x19 with a new exchange's
   * first data, AUTH 0x18 answers, until AUTH 0x00 and its data accepted.
   *
   * @throws IllegalStateException when {@code c} was not authenticated with this method
   * @throws AuthenticationException as {@code MqttClient.reauthenticate} says
   * @throws ConnectionLostException when the connection fails for another reason
   */
  void reauthenticate(Connection c, What what, long deadline, Duration timeout)
      throws InterruptedException {
    AuthChannel channel = c.auth();
    if (channel == null) {
      throw new IllegalStateException(
          what.describe()
              + " needs a connection authenticated with an auth_method (MQTT 5 enhanced"
              + " authentication); client "
              + c.clientId()
              + " connected without one, and may send no AUTH [MQTT-4.12.0-7]");
    }
    if (!channel.beginReauthentication(deadline)) {
      throw new io.vmqtt.OperationTimeoutException(
          what.describe() + " waited for the re-authentication in progress", timeout);
    }
    try {
      AuthenticationContext base = channel.context();
      Authenticator.Exchange exchange =
          start(
              AuthenticationContext.of(
                  base.clientId(),
                  base.username().orElse(null),
                  base.password().orElse(null),
                  true));
      send(c, AuthChannel.REAUTHENTICATE, exchange.initialData());
      while (true) {
        Packet p;
        try {
          p = channel.next(deadline);
        } catch (TimeoutException e) {
          AuthenticationException late =
              new AuthenticationException(
                  what.describe()
                      + " did not complete within "
                      + timeout.toMillis()
                      + " ms (operation_timeout); the connection is closed, as an exchange"
                      + " cannot be left half-way (section 4.12.1)",
                  e);
          c.failWithDisconnect(UNSPECIFIED_ERROR, late);
          throw late;
        }
        if (!(p instanceof AuthPacket auth)) {
          throw lost(c, what);
        }
        try {
          if (auth.reasonCode() == AuthChannel.SUCCESS) {
            exchange.success(data(auth.properties()));
            return;
          }
          send(c, AuthChannel.CONTINUE, exchange.challenge(data(auth.properties())));
        } catch (RuntimeException e) {
          AuthenticationException why = asAuthenticationFailure(e);
          c.failWithDisconnect(UNSPECIFIED_ERROR, why);
          throw new AuthenticationException(what.describe() + " failed: " + why.getMessage(), why);
        }
      }
    } finally {
      channel.endReauthentication();
    }
  }

  /** The connection failed during a re-authentication: the broker's refusal says so clearly. */
  private static RuntimeException lost(Connection c, What what) {
    Throwable cause = c.failure();
    if (cause instanceof DisconnectedByBrokerException d) {
      return new AuthenticationException(
          what.describe() + " refused: " + d.getMessage() + " [MQTT-4.12.1-2]", d);
    }
    return new ConnectionLostException(
        what.describe()
            + " failed: the connection of client "
            + c.clientId()
            + " was lost: "
            + cause,
        cause);
  }
}
