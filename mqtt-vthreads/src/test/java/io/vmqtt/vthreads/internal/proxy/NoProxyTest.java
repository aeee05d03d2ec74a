package io.vmqtt.vthreads.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code NO_PROXY} as curl and most tools read it. */
class NoProxyTest {
  @ParameterizedTest(name = "NO_PROXY=\"{0}\" exempts {1}:{2}: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "*                         | broker.example   | 1883 | true",
        "localhost                 | localhost        | 1883 | true",
        "localhost                 | LOCALHOST.       | 1883 | true",
        "example.com               | example.com      | 1883 | true",
        "example.com               | a.b.example.com  | 1883 | true",
        "example.com               | badexample.com   | 1883 | false",
        ".example.com              | example.com      | 1883 | true",
        ".example.com              | a.example.com    | 1883 | true",
        "*.example.com             | a.example.com    | 1883 | true",
        "a.com,  b.com c.com       | c.com            | 1883 | true",
        "a.com,b.com               | d.com            | 1883 | false",
        "broker.example:8883       | broker.example   | 8883 | true",
        "broker.example:8883       | broker.example   | 1883 | false",
        "127.0.0.1                 | 127.0.0.1        | 1883 | true",
        "127.0.0.1                 | 127.0.0.2        | 1883 | false",
        "127.0.0.0/8               | 127.4.5.6        | 1883 | true",
        "10.0.0.0/8                | 11.0.0.1         | 1883 | false",
        "192.168.1.0/25            | 192.168.1.127    | 1883 | true",
        "192.168.1.0/25            | 192.168.1.128    | 1883 | false",
        "::1                       | ::1              | 1883 | true",
        "[::1]                     | [::1]            | 1883 | true",
        "[::1]:8883                | ::1              | 8883 | true",
        "[::1]:8883                | ::1              | 1883 | false",
        "fd00::/8                  | fd12:3456::1     | 1883 | true",
        "fd00::/8                  | fe80::1          | 1883 | false",
        "0:0:0:0:0:0:0:1           | ::1              | 1883 | true",
        "127.0.0.1                 | localhost        | 1883 | false",
        "10.0.0.0/33, bad:port:x   | 10.0.0.1         | 1883 | false",
        "''                        | localhost        | 1883 | false",
      })
  void anEntryExemptsWhatCurlWouldExempt(String list, String host, int port, boolean exempt) {
    assertThat(NoProxy.parse(list).matches(host, port)).isEqualTo(exempt);
  }
}
