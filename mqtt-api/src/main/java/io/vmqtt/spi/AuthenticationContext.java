package io.vmqtt.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Authenticator} gets to start one authentication: the client id and the credentials
 * the connection was asked to use (the URI's user info, else {@code ConnectOptions}' credentials,
 * else the configuration's {@code username}/{@code password}), and whether it is a
 * re-authentication of a live connection. With enhanced authentication the client sends the user
 * name in CONNECT but never the password: it is the method's alone.
 *
 * <p>Immutable; the password array is copied in and out.
 */
public final class AuthenticationContext {
  private final String clientId;
  private final String username;
  private final byte[] password;
  private final boolean reauthentication;

  private AuthenticationContext(
      String clientId, String username, byte[] password, boolean reauthentication) {
    this.clientId = clientId;
    this.username = username;
    this.password = password;
    this.reauthentication = reauthentication;
  }

  /**
   * A context; made by the client, or by tests of a method.
   *
   * @param username the user name, or null for none
   * @param password the password, or null for none (copied)
   */
  public static AuthenticationContext of(
      String clientId, String username, byte[] password, boolean reauthentication) {
    return new AuthenticationContext(
        Objects.requireNonNull(clientId, "clientId"),
        username,
        password == null ? null : password.clone(),
        reauthentication);
  }

  /** The client identifier of the CONNECT (possibly empty: the broker assigns one). */
  public String clientId() {
    return clientId;
  }

  /** The user name, if the connection has one. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The password, if the connection has one; a copy. */
  public Optional<byte[]> password() {
    return Optional.ofNullable(password).map(byte[]::clone);
  }

  /** Whether this authenticates a live connection again (AUTH 0x19) rather than a new one. */
  public boolean reauthentication() {
    return reauthentication;
  }

  /** The password is never printed. */
  @Override
  public String toString() {
    return "AuthenticationContext[clientId="
        + clientId
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "<redacted>")
        + (reauthentication ? ", reauthentication" : "")
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthenticationContext c
        && clientId.equals(c.clientId)
        && Objects.equals(username, c.username)
        && Arrays.equals(password, c.password)
        && reauthentication == c.reauthentication;
  }

  @Override
  public int hashCode() {
    return Objects.hash(clientId, username, Arrays.hashCode(password), reauthentication);
  }
}
