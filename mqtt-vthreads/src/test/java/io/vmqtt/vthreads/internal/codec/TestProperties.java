package io.vmqtt.vthreads.internal.codec;

/** One valid property of each kind, as bytes, for tests that go through the whole table. */
final class TestProperties {
  private TestProperties() {}

  /** A valid value of {@code p}'s type that its rule accepts. */
  static Object sample(Property p) {
    return switch (p.type()) {
      case BYTE -> 1;
      case TWO_BYTE_INTEGER -> 7;
      case FOUR_BYTE_INTEGER -> 70_000L;
      case VARIABLE_BYTE_INTEGER -> 300;
      case UTF8_STRING -> "a/b";
      case BINARY_DATA -> new byte[] {1, 2};
      case UTF8_STRING_PAIR -> new UserProperty("k", "v");
    };
  }

  /** The identifier and value of {@code p} with its {@link #sample}, as the encoder writes it. */
  static byte[] encodedSample(Property p) {
    byte[] withLength = encode(Properties.builder().set(p, sample(p)).build());
    // Drop the one-byte Property Length.
    return java.util.Arrays.copyOfRange(withLength, 1, withLength.length);
  }

  /** A Property Length (one byte: shorter than 128) before {@code properties}. */
  static byte[] withLength(byte[] properties) {
    if (properties.length > 127) {
      throw new IllegalArgumentException("test properties must be shorter than 128 bytes");
    }
    return TestBytes.concat(new byte[] {(byte) properties.length}, properties);
  }

  static byte[] encode(Properties p) {
    ByteSink sink = new ByteSink(0);
    PropertiesCodec.write(p, sink);
    return sink.toByteArray();
  }
}
