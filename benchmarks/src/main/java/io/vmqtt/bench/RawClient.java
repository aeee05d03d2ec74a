package io.vmqtt.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference: a hand-written MQTT 3.1.1 client that costs nearly nothing. Packets are encoded
 * once and written through a 64 KiB buffer, flushed only when the client must wait; incoming bytes
 * are scanned in place, reading only fixed headers and the fields it needs. It shares no code with
 * vmqtt. The harness also uses it as the counting subscriber and the blaster.
 *
 * <p>One thread uses it at a time, except in {@link #publishConcurrently}, where a reader thread
 * takes the acknowledgements and answers PUBREC with PUBREL while the caller writes.
 */
final class RawClient implements ClientAdapter {
  /** The buffer size for throughput: 64 KiB each way. */
  static final int BUFFER = 64 * 1024;

  private static final int CONNACK = 2;
  private static final int PUBLISH = 3;
  private static final int PUBACK = 4;
  private static final int PUBREC = 5;
  private static final int PUBREL = 6;
  private static final int PUBCOMP = 7;
  private static final int SUBACK = 9;

  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** Guards {@link #outBuf}: the caller writes PUBLISH while the ack reader writes PUBREL. */
  private final ReentrantLock writeLock = new ReentrantLock();

  private final byte[] outBuf;
  private int outLen;
  private final byte[] inBuf;
  private int inPos;
  private int inLim;

  /** The last PUBLISH encoded, reused while topic, payload and QoS stay the same. */
  private byte[] template;

  private String templateTopic;
  private byte[] templatePayload;
  private int templateQos;
  private int nextPacketId = 1;

  /** A client with 64 KiB buffers each way. */
  RawClient() {
    this(BUFFER);
  }

  /** A client with buffers of {@code bufferSize} bytes each way (small for many connections). */
  RawClient(int bufferSize) {
    outBuf = new byte[bufferSize];
    inBuf = new byte[bufferSize];
  }

  @Override
  public void connect(String host, int port, String clientId, int window) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    // Variable header: "MQTT", level 4, flags 0x02 (clean session), keep-alive 60 [MQTT-3.1.2].
    byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60};
    writePacket(0x10, concat(variable, string(id)));
    flush();
    expect(CONNACK);
  }

  @Override
  public void subscribe(String topic, int qos, boolean queued) throws IOException {
    byte[] filter = string(topic.getBytes(StandardCharsets.UTF_8));
    byte[] body = concat(new byte[] {0, 1}, concat(filter, new byte[] {(byte) qos}));
    writePacket(0x82, body);
    flush();
    expect(SUBACK);
  }

  @Override
  public void publishBlocking(String topic, byte[] payload, int qos) throws IOException {
    byte[] packet = publishPacket(topic, payload, qos);
    int id = qos > 0 ? takePacketId() : 0;
    write(packet, id);
    flush();
    if (qos == 1) {
      expect(PUBACK);
    } else if (qos == 2) {
      expect(PUBREC);
      writeAck(PUBREL, id);
      flush();
      expect(PUBCOMP);
    }
  }

  @Override
  public void publishBurst(String topic, byte[] payload, long count) throws IOException {
    byte[] packet = publishPacket(topic, payload, 0);
    for (long i = 0; i < count; i++) {
      write(packet, 0);
    }
    flush();
  }

  @Override
  public void publishConcurrently(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    if (qos == 0) {
      publishBurst(topic, payload, count);
      return;
    }
    byte[] packet = publishPacket(topic, payload, qos);
    Semaphore permits = new Semaphore(window);
    long[] sentAt = new long[65536];
    CountDownLatch done = new CountDownLatch(1);
    IOException[] failure = new IOException[1];
    Thread acks =
        Thread.ofPlatform()
            .name("raw-acks")
            .start(() -> readAcks(count, permits, sentAt, latencies, done, failure));
    for (long i = 0; i < count; i++) {
      if (!permits.tryAcquire()) {
        flush(); // the window is full: let the broker see what is buffered, then wait
        while (!permits.tryAcquire(1, TimeUnit.SECONDS)) {
          if (done.getCount() == 0) {
            throw new IOException("ack reader stopped", failure[0]);
          }
        }
      }
      int id = takePacketId();
      sentAt[id] = System.nanoTime();
      write(packet, id);
    }
    flush();
    done.await();
    acks.join();
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /**
   * The reference for the request-thread scenarios: the same windowed publishing as {@link
   * #publishConcurrently}, with no thread per message, so what the broker and the wire allow.
   */
  @Override
  public void publishFromRequestThreads(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    publishConcurrently(topic, payload, qos, count, window, latencies);
  }

  private void readAcks(
      long count,
      Semaphore permits,
      long[] sentAt,
      LatencyRecorder latencies,
      CountDownLatch done,
      IOException[] failure) {
    try {
      long completed = 0;
      while (completed < count) {
        int first = readHeaderByte();
        int length = readRemainingLength();
        int type = first >>> 4;
        if (type == PUBACK || type == PUBCOMP) {
          int id = readShort();
          latencies.record(System.nanoTime() - sentAt[id]);
          completed++;
          permits.release();
        } else if (type == PUBREC) {
          writeAck(PUBREL, readShort());
        } else {
          skip(length);
        }
        if (inPos == inLim) {
          flush(); // nothing more to read now: send the PUBRELs gathered, if any
        }
      }
    } catch (IOException e) {
      failure[0] = e;
    } finally {
      done.countDown();
    }
  }

  @Override
  public Received receive(long count, Duration idle) throws IOException {
    socket.setSoTimeout((int) idle.toMillis());
    long n = 0;
    long last = 0;
    try {
      while (n < count) {
        int first = readHeaderByte();
        int length = readRemainingLength();
        if (first >>> 4 != PUBLISH) {
          skip(length);
          continue;
        }
        int topicLength = readShort();
        int payloadLength = length - 2 - topicLength - ((first & 0x06) != 0 ? 2 : 0);
        skip(length - 2);
        last = System.nanoTime();
        if (payloadLength == MARKER_LENGTH) {
          break;
        }
        n++;
      }
    } catch (SocketTimeoutException e) {
      // Idle: what arrived is the answer.
    } finally {
      socket.setSoTimeout(0);
    }
    return new Received(n, last);
  }

  @Override
  public byte[] takeMessage(Duration timeout) throws IOException, TimeoutException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      while (true) {
        int first = readHeaderByte();
        int length = readRemainingLength();
        if (first >>> 4 != PUBLISH) {
          skip(length);
          continue;
        }
        int topicLength = readShort();
        skip(topicLength + ((first & 0x06) != 0 ? 2 : 0));
        byte[] payload = new byte[length - 2 - topicLength - ((first & 0x06) != 0 ? 2 : 0)];
        readFully(payload);
        return payload;
      }
    } catch (SocketTimeoutException e) {
      throw new TimeoutException("no message within " + timeout);
    } finally {
      socket.setSoTimeout(0);
    }
  }

  /** Whether its socket is open: the raw client reads only when asked, so it sees no close. */
  @Override
  public boolean isConnected() {
    return socket != null && !socket.isClosed();
  }

  @Override
  public void close() {
    try {
      if (socket != null && !socket.isClosed()) {
        writeLock.lock();
        try {
          outLen = 0;
          out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
        } finally {
          writeLock.unlock();
        }
      }
    } catch (IOException ignored) {
      // Closing anyway.
    }
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException ignored) {
      // Nothing left to release.
    }
  }

  // --- encoding ---------------------------------------------------------------------------

  /** The encoded PUBLISH for this topic, payload and QoS, with packet id 0 (patched on write). */
  private byte[] publishPacket(String topic, byte[] payload, int qos) {
    if (template == null
        || !topic.equals(templateTopic)
        || payload != templatePayload
        || qos != templateQos) {
      byte[] t = string(topic.getBytes(StandardCharsets.UTF_8));
      byte[] body = concat(t, qos > 0 ? concat(new byte[2], payload) : payload);
      template = packet(0x30 | qos << 1, body);
      templateTopic = topic;
      templatePayload = payload;
      templateQos = qos;
    }
    return template;
  }

  /** Appends the packet, patching the packet id (the two bytes before the payload) if not 0. */
  private void write(byte[] packet, int packetId) throws IOException {
    writeLock.lock();
    try {
      if (outLen + packet.length > outBuf.length) {
        flushLocked();
      }
      System.arraycopy(packet, 0, outBuf, outLen, packet.length);
      if (packetId != 0) {
        int at = outLen + packet.length - templatePayload.length - 2;
        outBuf[at] = (byte) (packetId >>> 8);
        outBuf[at + 1] = (byte) packetId;
      }
      outLen += packet.length;
    } finally {
      writeLock.unlock();
    }
  }

  private void writeAck(int type, int packetId) throws IOException {
    writePacket(
        type << 4 | (type == PUBREL ? 0x02 : 0),
        new byte[] {(byte) (packetId >>> 8), (byte) packetId});
  }

  private void writePacket(int firstByte, byte[] body) throws IOException {
    byte[] p = packet(firstByte, body);
    writeLock.lock();
    try {
      if (outLen + p.length > outBuf.length) {
        flushLocked();
      }
      if (p.length > outBuf.length) {
        out.write(p); // larger than the buffer: straight through
        return;
      }
      System.arraycopy(p, 0, outBuf, outLen, p.length);
      outLen += p.length;
    } finally {
      writeLock.unlock();
    }
  }

  void flush() throws IOException {
    writeLock.lock();
    try {
      flushLocked();
    } finally {
      writeLock.unlock();
    }
  }

  private void flushLocked() throws IOException {
    if (outLen > 0) {
      out.write(outBuf, 0, outLen);
      outLen = 0;
    }
  }

  private int takePacketId() {
    int id = nextPacketId;
    nextPacketId = id == 65535 ? 1 : id + 1;
    return id;
  }

  private static byte[] packet(int firstByte, byte[] body) {
    byte[] header = new byte[5];
    int n = 0;
    header[n++] = (byte) firstByte;
    int v = body.length;
    do {
      int digit = v & 0x7F;
      v >>>= 7;
      header[n++] = (byte) (v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
    byte[] p = new byte[n + body.length];
    System.arraycopy(header, 0, p, 0, n);
    System.arraycopy(body, 0, p, n, body.length);
    return p;
  }

  private static byte[] string(byte[] utf8) {
    return concat(new byte[] {(byte) (utf8.length >>> 8), (byte) utf8.length}, utf8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  // --- decoding ---------------------------------------------------------------------------

  /** Reads packets until one of {@code type}; PUBLISH packets met on the way are dropped. */
  private void expect(int type) throws IOException {
    while (true) {
      int first = readHeaderByte();
      int length = readRemainingLength();
      skip(length);
      if (first >>> 4 == type) {
        return;
      }
    }
  }

  private int readHeaderByte() throws IOException {
    if (inPos == inLim) {
      fill();
    }
    return inBuf[inPos++] & 0xFF;
  }

  private int readRemainingLength() throws IOException {
    int value = 0;
    int shift = 0;
    int digit;
    do {
      digit = readHeaderByte();
      value |= (digit & 0x7F) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    return value;
  }

  private int readShort() throws IOException {
    return readHeaderByte() << 8 | readHeaderByte();
  }

  private void skip(int n) throws IOException {
    while (n > 0) {
      if (inPos == inLim) {
        fill();
      }
      int take = Math.min(n, inLim - inPos);
      inPos += take;
      n -= take;
    }
  }

  private void readFully(byte[] into) throws IOException {
    int off = 0;
    while (off < into.length) {
      if (inPos == inLim) {
        fill();
      }
      int take = Math.min(into.length - off, inLim - inPos);
      System.arraycopy(inBuf, inPos, into, off, take);
      inPos += take;
      off += take;
    }
  }

  private void fill() throws IOException {
    int n = in.read(inBuf, 0, inBuf.length);
    if (n < 0) {
      throw new EOFException("broker closed the connection");
    }
    inPos = 0;
    inLim = n;
  }
}
