package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.ListenerRegistration;
import io.vmqtt.Message;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 request/response (section 4.10) for one client: the client's response topic, subscribed to
 * lazily, and the requests waiting for their responses, matched by Correlation Data.
 *
 * <p>The response topic is the client's own: under the CONNACK's Response Information when the
 * client asked for it ({@code request_response_information}), else {@code vmqtt/response/<client
 * id>}. Its subscription is made before the first request of each broker session (the session's
 * epoch tells: a resumed session still has it) and whenever the topic changes; an exclusive
 * listener of the highest priority takes every message on it, so responses never reach other
 * listeners of lower priority nor {@code deliverMessage}. A response whose Correlation Data no
 * waiting request has (it came after its request timed out, or was meant for nobody) is dropped,
 * counted and logged at debug level: a request is forgotten when its call returns, so what this
 * holds is bounded by the calls waiting.
 *
 * <p>Thread-safe: requests come from any thread; responses come on the listener's virtual thread.
 * {@link #lock} guards the subscription state and is held across the subscribe call, bounded by the
 * request's deadline (a {@link ReentrantLock}, so a virtual thread waiting on it does not pin).
 */
final class Requests {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CORRELATION_BYTES = 16;

  /** What requests need of the client: subscribing, and acknowledging with manual_ack. */
  interface Client {
    List<Integer> subscribe(List<Subscription> subscriptions) throws InterruptedException;

    ListenerRegistration addListener(MessageSelector selector, io.vmqtt.MessageListener listener);

    void ack(Message message);

    void addConnectionListener(io.vmqtt.ConnectionListener listener);
  }

  private final String clientId;
  private final Client client;
  private final Map<ByteBuffer, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong strays = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();

  /** The topic subscribed to, or null; guarded by {@link #lock}. */
  private String topic;

  /** The session epoch it was subscribed in; guarded by {@link #lock}. */
  private long epoch = -1;

  /** The listener of {@link #topic}; guarded by {@link #lock}. */
  private ListenerRegistration listener;

  /** For an empty client id whose assigned one is not at hand: unique to this client. */
  private final String anonymous =
      "anonymous-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);

  /** Whether the connection listener that fails waiting requests on a loss is added; guarded. */
  private boolean watching;

  private final boolean autoReconnect;

  /**
   * @param autoReconnect whether a lost connection is reconnected by itself: then requests keep
   *     waiting (a resumed session still gets their responses); else they fail at the loss
   */
  Requests(String clientId, Client client, boolean autoReconnect) {
    this.clientId = clientId;
    this.client = client;
    this.autoReconnect = autoReconnect;
  }

  /**
   * Added with the first request only, so a client that never requests has no listener thread for
   * it: fails the waiting requests when no response can come any more.
   */
  private void watchLosses() {
    if (watching) {
      return;
    }
    watching = true;
    client.addConnectionListener(
        new io.vmqtt.ConnectionListener() {
          @Override
          public void connectionLost(Throwable cause) {
            if (!autoReconnect) {
              failAll(cause);
            }
          }

          @Override
          public void reconnectFailed(io.vmqtt.ConnectException cause, boolean givingUp) {
            if (givingUp) {
              failAll(cause);
            }
          }
        });
  }

  /**
   * The response topic for a request on a connection accepted with {@code connack}, subscribed to
   * in the broker session {@code epoch}.
   *
   * @throws OperationTimeoutException when another request's subscribe holds it past {@code
   *     deadline}
   * @throws MqttException when the broker refuses the subscription
   */
  String responseTopic(Connack connack, long epoch, What what, long deadline, Duration timeout)
      throws InterruptedException {
    String wanted = topicFor(connack);
    if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      throw new OperationTimeoutException(
          what.describe() + " waited for the subscription to the response topic", timeout);
    }
    try {
      watchLosses();
      if (wanted.equals(topic) && epoch == this.epoch) {
        return topic;
      }
      if (!wanted.equals(topic)) {
        if (listener != null) {
          listener.remove();
        }
        listener =
            client.addListener(
                MessageSelector.topic(wanted).priority(Integer.MAX_VALUE).exclusive(),
                this::onResponse);
        topic = wanted;
        this.epoch = -1;
      }
      int code = client.subscribe(List.of(Subscription.of(wanted, QoS.EXACTLY_ONCE))).get(0);
      if (code >= 0x80) {
        throw new MqttException(
            what.describe()
                + " failed: the broker refused the subscription to the response topic '"
                + wanted
                + "' with reason code 0x"
                + Integer.toHexString(code));
      }
      this.epoch = epoch;
      return wanted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code <Response Information>/responses} when the broker gave some (section 3.2.2.3.15), else
   * {@code vmqtt/response/<client id>}; wildcard characters of a client id become {@code _}, as a
   * topic name may not hold them [MQTT-3.3.2-2].
   */
  private String topicFor(Connack connack) {
    String base = connack.responseInformation().orElse("");
    if (!base.isEmpty()) {
      String t = base.endsWith("/") ? base + "responses" : base + "/responses";
      try {
        return Topics.requireValidName(t, "response topic");
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "client {}: the broker's Response Information '{}' makes no topic name ({}); using"
                + " the client's own response topic",
            clientId,
            base,
            e.getMessage());
      }
    }
    String id = connack.assignedClientIdentifier().orElse(clientId);
    return "vmqtt/response/" + (id.isEmpty() ? anonymous : id.replace('+', '_').replace('#', '_'));
  }

  /** Fresh Correlation Data, registered for the response; {@link #forget} it when done. */
  byte[] register(CompletableFuture<Message> response) {
    byte[] data = new byte[CORRELATION_BYTES];
    RANDOM.nextBytes(data);
    waiting.put(ByteBuffer.wrap(data), response);
    return data;
  }

  /** The request with {@code correlationData} waits no more: a late response is a stray. */
  void forget(byte[] correlationData) {
    waiting.remove(ByteBuffer.wrap(correlationData));
  }

  /**
   * Waits for the response registered under {@code correlationData}.
   *
   * @throws OperationTimeoutException when none came by {@code deadline}
   * @throws io.vmqtt.ConnectionLostException when the connection was lost for good meanwhile
   */
  static Message await(
      CompletableFuture<Message> response, What what, long deadline, Duration timeout)
      throws InterruptedException {
    try {
      return response.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new OperationTimeoutException(what.describe() + " got no response", timeout);
    } catch (ExecutionException e) {
      throw new io.vmqtt.ConnectionLostException(
          what.describe() + " failed: the connection was lost: " + e.getCause(), e.getCause());
    }
  }

  /**
   * The connection is lost for good (no automatic reconnection, or it gave up): no response can
   * come, so every waiting request fails now rather than at its timeout.
   */
  void failAll(Throwable cause) {
    waiting.values().forEach(f -> f.completeExceptionally(cause));
  }

  /** A message on the response topic; runs on the listener's virtual thread. */
  private void onResponse(Message m) {
    try {
      CompletableFuture<Message> request =
          m.correlationData().map(d -> waiting.remove(ByteBuffer.wrap(d))).orElse(null);
      if (request != null) {
        request.complete(m);
        return;
      }
      long n = strays.incrementAndGet();
      LOG.debug(
          "client {}: a message on the response topic '{}' answers no waiting request (too late,"
              + " or not for this client); dropped ({} so far)",
          clientId,
          m.topic(),
          n);
    } finally {
      client.ack(m); // taken here, also with manual_ack: the application never sees it
    }
  }

  /** Responses dropped because no request waited for them. */
  long strays() {
    return strays.get();
  }
}
