package io.vmqtt.it.fake;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What the {@link ScriptedBroker} of the engine fuzz target does, decoded from the fuzzer's bytes:
 * one byte of options, then the answers, each written when the client sends its next packet (the
 * first answer to CONNECT, the second to the packet after it, and so on, across reconnections).
 *
 * <p>The first byte:
 *
 * <ul>
 *   <li>bit 0: the broker writes CONNACK 0 on CONNECT, before the answer, so that most inputs get
 *       past the handshake;
 *   <li>bits 1 and 2: once the answers are used up, the broker {@link After#AUTO answers as a
 *       well-behaved broker} (0), {@link After#SILENT reads and answers nothing} (1), {@link
 *       After#CLOSE closes the connection} (2) or {@link After#STALL stops reading} (3);
 *   <li>bit 3: the client reconnects by itself ({@code auto_reconnect}, one retry);
 *   <li>bit 4: keep-alive of 1 s (PINGREQ after 0.5 s of silence), else none;
 *   <li>bit 5: MQTT 3.1 (protocol level 3), else 3.1.1;
 *   <li>bit 6: every write goes out one byte at a time;
 *   <li>bit 7: the client's {@code max_packet_size} is 64 bytes, else the default.
 * </ul>
 *
 * <p>Then steps, each starting with a byte {@code h}: {@code 0x00..0x7F} writes the next {@code h}
 * bytes and ends the answer; {@code 0x80..0xEF} writes the next {@code h - 0x80} bytes and goes on
 * with the same answer; {@code 0xF0..0xFF} pauses {@code (h - 0xEF) × 10} ms and goes on. Input
 * that ends early ends the last step.
 *
 * <pre>{@code
 * 01 | 05 90 04 00 01 02 | 00 | ...   CONNACK first; SUBACK to the SUBSCRIBE; nothing to the
 *                                     QoS 0 PUBLISH; ...
 * }</pre>
 *
 * <p>Immutable.
 */
record BrokerScript(int options, List<List<Step>> answers) {
  /** What the broker does once the answers are used up. */
  enum After {
    AUTO,
    SILENT,
    CLOSE,
    STALL
  }

  /** One step of an answer: a write or a pause. */
  sealed interface Step {}

  /** Writes these bytes. */
  record Write(byte[] bytes) implements Step {
    @Override
    public String toString() {
      return "Write[" + HexFormat.ofDelimiter(" ").formatHex(bytes) + "]";
    }
  }

  /** Waits before the next step. */
  record Pause(Duration duration) implements Step {}

  BrokerScript {
    answers = answers.stream().map(List::copyOf).toList();
  }

  static BrokerScript parse(byte[] input) {
    if (input.length == 0) {
      return new BrokerScript(0, List.of());
    }
    List<List<Step>> answers = new ArrayList<>();
    List<Step> answer = new ArrayList<>();
    int pos = 1;
    while (pos < input.length) {
      int h = input[pos++] & 0xFF;
      if (h >= 0xF0) {
        answer.add(new Pause(Duration.ofMillis((h - 0xEF) * 10L)));
        continue;
      }
      int length = h < 0x80 ? h : h - 0x80;
      int end = Math.min(input.length, pos + length);
      answer.add(new Write(Arrays.copyOfRange(input, pos, end)));
      pos = end;
      if (h < 0x80) {
        answers.add(answer);
        answer = new ArrayList<>();
      }
    }
    if (!answer.isEmpty()) {
      answers.add(answer);
    }
    return new BrokerScript(input[0] & 0xFF, answers);
  }

  boolean connackFirst() {
    return (options & 0x01) != 0;
  }

  After after() {
    return After.values()[(options >> 1) & 0x03];
  }

  boolean autoReconnect() {
    return (options & 0x08) != 0;
  }

  boolean keepAlive() {
    return (options & 0x10) != 0;
  }

  boolean mqtt31() {
    return (options & 0x20) != 0;
  }

  boolean byteByByte() {
    return (options & 0x40) != 0;
  }

  boolean smallMaxPacketSize() {
    return (options & 0x80) != 0;
  }

  /** Encodes options and answers back to fuzzer input; the seeds are written with this. */
  static byte[] encode(int options, List<List<Step>> answers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(options);
    for (List<Step> answer : answers) {
      for (int i = 0; i < answer.size(); i++) {
        boolean last = i == answer.size() - 1;
        switch (answer.get(i)) {
          case Pause p ->
              out.write(0xEF + (int) Math.max(1, Math.min(16, p.duration().toMillis() / 10)));
          case Write w -> {
            byte[] b = w.bytes();
            int off = 0;
            do {
              int remaining = b.length - off;
              boolean ends = last && remaining <= 0x7F;
              int n = ends ? remaining : Math.min(0x6F, remaining);
              out.write(ends ? n : 0x80 + n);
              out.write(b, off, n);
              off += n;
            } while (off < b.length);
          }
        }
      }
      if (answer.isEmpty() || !(answer.getLast() instanceof Write)) {
        out.write(0); // an empty write ends the answer
      }
    }
    return out.toByteArray();
  }

  /** An answer of one write of these frames, concatenated. */
  static List<Step> write(byte[]... frames) {
    return List.of(new Write(Frames.concat(frames)));
  }
}
