package io.vmqtt.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.AuthenticationException;
import io.vmqtt.spi.AuthenticationContext;
import io.vmqtt.spi.Authenticator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * SCRAM-SHA-256 against the test vector of RFC 7677 section 3 (user "user", password "pencil"),
 * message by message, and the ways a server's messages are refused.
 */
class ScramTest {
  private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String CLIENT_FINAL =
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
          + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private static Authenticator.Exchange rfc7677(String password) {
    return new Scram(() -> CLIENT_NONCE)
        .start(
            AuthenticationContext.of(
                "c", "user", password.getBytes(StandardCharsets.UTF_8), false));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void theExchangeOfRfc7677IsReproducedMessageByMessageAndItsServerSignatureAccepted()
      throws Exception {
    Authenticator.Exchange exchange = rfc7677("pencil");

    assertThat(text(exchange.initialData())).isEqualTo("n,,n=user,r=" + CLIENT_NONCE);
    assertThat(text(exchange.challenge(utf8(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
    exchange.success(utf8(SERVER_FINAL)); // does not throw
    assertThat(new Scram().method()).isEqualTo("SCRAM-SHA-256");
  }

  @Test
  void aServerSignatureThatIsNotTheOneThePasswordGivesIsRefused() throws Exception {
    Authenticator.Exchange exchange = rfc7677("pencil");
    exchange.challenge(utf8(SERVER_FIRST));

    assertThatThrownBy(
            () -> exchange.success(utf8("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("server signature is wrong");
  }

  @Test
  void aWrongPasswordGivesAnotherProofThanRfc7677s() throws Exception {
    Authenticator.Exchange exchange = rfc7677("pencil2");

    assertThat(text(exchange.challenge(utf8(SERVER_FIRST)))).isNotEqualTo(CLIENT_FINAL);
  }

  @Test
  void aServerNonceThatDoesNotExtendTheClientsIsRefused() {
    Authenticator.Exchange exchange = rfc7677("pencil");

    assertThatThrownBy(
            () -> exchange.challenge(utf8("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("nonce does not extend");
  }

  @Test
  void anIterationCountAboveTheBoundIsRefusedBeforeAnyWork() {
    Authenticator.Exchange exchange = rfc7677("pencil");

    assertThatThrownBy(
            () ->
                exchange.challenge(
                    utf8("r=" + CLIENT_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage(
            "SCRAM-SHA-256: iteration count must be 1..1000000, was '1000001' in r="
                + CLIENT_NONCE
                + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001");
  }

  @Test
  void successWithoutAChallengeIsRefusedBecauseTheServerProvedNothing() {
    Authenticator.Exchange exchange = rfc7677("pencil");

    assertThatThrownBy(() -> exchange.success(utf8(SERVER_FINAL)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("did not prove");
  }

  @Test
  void aServerErrorAttributeIsReportedWithItsValue() throws Exception {
    Authenticator.Exchange exchange = rfc7677("pencil");
    exchange.challenge(utf8(SERVER_FIRST));

    assertThatThrownBy(() -> exchange.success(utf8("e=invalid-proof")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("SCRAM-SHA-256: the server reported an error: invalid-proof");
  }

  @Test
  void userNamesAreEscapedAsRfc5802SaysAndCredentialsAreRequired() {
    assertThat(Scram.ScramExchange.escape("a=b,c")).isEqualTo("a=3Db=2Cc");
    assertThatThrownBy(() -> new Scram().start(AuthenticationContext.of("c", null, null, false)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("needs a user name and password");
    assertThatThrownBy(() -> new Scram().start(AuthenticationContext.of("c", "user", null, false)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessage("SCRAM-SHA-256 needs a password for user 'user'; there is none");
  }

  @Test
  void eachExchangeHasAFreshRandomNonce() {
    AuthenticationContext context = AuthenticationContext.of("c", "user", utf8("pencil"), false);
    Scram scram = new Scram();

    assertThat(text(scram.start(context).initialData()))
        .startsWith("n,,n=user,r=")
        .isNotEqualTo(text(scram.start(context).initialData()));
  }
}
