package io.vmqtt.it.paho;

import io.vmqtt.it.paho.PahoBroker.Product;
import io.vmqtt.testkit.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Paho MQTT 5 scenarios against mosquitto 2.0, configured as the issue records for them: {@code
 * allow_anonymous true}, {@code allow_duplicate_messages true}, {@code max_inflight_messages 20}
 * (CONNACK Receive Maximum 20), {@code max_topic_alias 10}; a second broker with {@code
 * max_keepalive 60} for the server keep-alive (that setting also refuses MQTT 3.1.1 clients with a
 * keep-alive of 0 or over 60, hence a broker of its own). Both live for the class; every test uses
 * client ids and topics of its own.
 */
class PahoMosquittoTest extends PahoScenarios {
  /** mosquitto's dynamic-security plugin, from the Debian package mosquitto. */
  private static final Path DYNAMIC_SECURITY =
      Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");

  private static MosquittoBroker broker;
  private static MosquittoBroker keepAliveBroker;

  @BeforeAll
  static void startBrokers() {
    broker =
        MosquittoBroker.builder()
            .allowAnonymous(true)
            .maxInflightMessages(20)
            .maxTopicAlias(10)
            .extraConfig("allow_duplicate_messages true")
            .start();
    keepAliveBroker = MosquittoBroker.builder().allowAnonymous(true).maxKeepAlive(60).start();
  }

  @AfterAll
  static void stopBrokers() {
    if (broker != null) {
      broker.close();
    }
    if (keepAliveBroker != null) {
      keepAliveBroker.close();
    }
  }

  @Override
  PahoBroker broker() {
    return new PahoBroker(Product.MOSQUITTO, broker.uri(), keepAliveBroker.uri());
  }

  /**
   * mosquitto 2.0's ACL file does not refuse a SUBSCRIBE (it only delivers nothing); its
   * dynamic-security plugin does: anonymous clients are in a group whose role denies the filter.
   */
  @Override
  RefusingBroker brokerRefusingSubscriptions() {
    if (!Files.exists(DYNAMIC_SECURITY)) {
      throw new IllegalStateException(
          "mosquitto's dynamic-security plugin is missing: " + DYNAMIC_SECURITY);
    }
    String config =
        """
        {
          "defaultACLAccess": {
            "publishClientSend": true, "publishClientReceive": true,
            "subscribe": true, "unsubscribe": true
          },
          "clients": [],
          "groups": [{"groupname": "anonymous", "roles": [{"rolename": "restricted"}]}],
          "roles": [{
            "rolename": "restricted",
            "acls": [{"acltype": "subscribePattern", "topic": "%s", "priority": 0, "allow": false}]
          }],
          "anonymousGroup": "anonymous"
        }
        """
            .formatted(NO_SUBSCRIBE);
    MosquittoBroker refusing =
        MosquittoBroker.builder()
            .allowAnonymous(true)
            .file("dynamic-security.json", config)
            .extraConfig(
                "plugin "
                    + DYNAMIC_SECURITY
                    + "\nplugin_opt_config_file ${dir}/dynamic-security.json")
            .start();
    return new RefusingBroker() {
      @Override
      public String uri() {
        return refusing.uri();
      }

      @Override
      public void close() {
        refusing.close();
      }
    };
  }
}
