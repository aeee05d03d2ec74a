package io.vmqtt.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the tests of a class a running MQTT broker: parameters of type {@link TestBroker} (or the
 * kind's own class), {@code MqttClient} (a client connected to the broker, closed after the test)
 * and {@link MessageRecorder} are filled in by {@link MqttBrokerExtension}.
 *
 * <pre>{@code
 * @MqttBrokerTest                                   // embedded Moquette: nothing to install
 * class ThermostatTest {
 *   @Test
 *   void publishesTheTemperature(TestBroker broker, MessageRecorder recorder) throws Exception {
 *     recorder.subscribe("home/+/temp");
 *     new Thermostat(broker.uri()).report(21.5);
 *     assertThat(recorder).receivedOn("home/kitchen/temp").payloadAsString().isEqualTo("21.5");
 *   }
 * }
 *
 * @MqttBrokerTest(kind = TestBroker.Kind.PROCESS)   // mosquitto, installed on the machine
 * @MqttBrokerTest(kind = TestBroker.Kind.CONTAINER, image = "eclipse-mosquitto:2.0.20")  // Docker
 * }</pre>
 *
 * <p>For a configured broker (users, TLS, a container of another image) register the extension with
 * {@code @RegisterExtension} instead; see {@link MqttBrokerExtension}.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MqttBrokerExtension.class)
public @interface MqttBrokerTest {

  /** What runs the broker; embedded (Moquette in this JVM) unless told. */
  TestBroker.Kind kind() default TestBroker.Kind.EMBEDDED;

  /**
   * Whether each test gets a broker of its own (no retained messages or sessions left by another
   * test), instead of one broker for the class (faster).
   */
  boolean perTest() default false;

  /** For {@link TestBroker.Kind#CONTAINER}: the mosquitto image to run. */
  String image() default "eclipse-mosquitto:2.0.20";
}
