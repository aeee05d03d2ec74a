package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.spi.AuthenticationContext;
import io.vmqtt.spi.Authenticator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MQTT 5 keys of enhanced authentication, request/response and outbound topic aliases: read
 * from the map and the builder alike, checked, printed.
 */
class EnhancedAuthConfigTest {
  private static final Authenticator TOKEN =
      new Authenticator() {
        @Override
        public String method() {
          return "TOKEN";
        }

        @Override
        public Exchange start(AuthenticationContext context) {
          throw new UnsupportedOperationException("not run here");
        }
      };

  @Test
  void authMethodScramSha256NamesTheBuiltInMethodInAnyCase() {
    MqttConfig fromMap = MqttConfig.from(Map.of("auth_method", "scram-sha-256"));
    MqttConfig built = MqttConfig.builder().authMethod("SCRAM-SHA-256").build();

    assertThat(fromMap.authenticator())
        .get()
        .extracting(Authenticator::method)
        .isEqualTo("SCRAM-SHA-256");
    assertThat(built.authenticator())
        .get()
        .extracting(Authenticator::method)
        .isEqualTo("SCRAM-SHA-256");
    assertThat(fromMap.toString()).contains("auth_method=SCRAM-SHA-256");
    assertThat(MqttConfig.defaults().authenticator()).isEmpty();
  }

  @Test
  void anAuthMethodThatIsNotBuiltInIsRefusedNamingTheKeyAndTheValue() {
    assertThatThrownBy(() -> MqttConfig.from(Map.of("auth_method", "SCRAM-SHA-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth_method must be SCRAM-SHA-256 (built in)")
        .hasMessageContaining("was 'SCRAM-SHA-1'");
    assertThatThrownBy(() -> MqttConfig.from(Map.of("auth_method", 7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auth_method");
  }

  @Test
  void anAuthenticatorOfTheApplicationIsTakenFromTheBuilderAndFromTheMap() {
    assertThat(MqttConfig.builder().authenticator(TOKEN).build().authenticator())
        .containsSame(TOKEN);
    assertThat(MqttConfig.from(Map.of("auth_method", TOKEN)).authenticator()).containsSame(TOKEN);
  }

  @Test
  void outboundTopicAliasesAndRequestResponseInformationAreReadAndChecked() {
    MqttConfig c =
        MqttConfig.from(Map.of("outbound_topic_aliases", 10, "request_response_information", true));

    assertThat(c.outboundTopicAliases()).isEqualTo(10);
    assertThat(c.requestResponseInformation()).isTrue();
    assertThat(MqttConfig.defaults().outboundTopicAliases()).isZero();
    assertThat(MqttConfig.defaults().requestResponseInformation()).isFalse();
    assertThatThrownBy(() -> MqttConfig.builder().outboundTopicAliases(65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outbound_topic_aliases")
        .hasMessageContaining("65536");
  }

  @Test
  void theContextOfAnAuthenticationNeverPrintsThePassword() {
    AuthenticationContext c = AuthenticationContext.of("c1", "u", new byte[] {1, 2}, true);

    assertThat(c.toString()).contains("<redacted>").doesNotContain("[1, 2]");
    assertThat(c.password()).get().isEqualTo(new byte[] {1, 2});
    assertThat(c.reauthentication()).isTrue();
  }
}
