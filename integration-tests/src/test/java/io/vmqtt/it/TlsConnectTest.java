package io.vmqtt.it;

import static io.vmqtt.it.TlsSupport.assertRoundTrip;
import static io.vmqtt.it.TlsSupport.trustingTestCa;

import io.vmqtt.it.fixture.MosquittoBroker;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.TlsBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connecting over TLS: trust in every form, TLS versions, JSSE and BCJSSE. */
class TlsConnectTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(TlsBroker::configure);

  @Test
  void aClientTrustingTheCaFileRoundTripsMessagesOverTls(MosquittoBroker broker)
      throws InterruptedException {
    assertRoundTrip(broker.uri(TlsBroker.TLS), trustingTestCa(broker).build(), "cafile");
  }
}
