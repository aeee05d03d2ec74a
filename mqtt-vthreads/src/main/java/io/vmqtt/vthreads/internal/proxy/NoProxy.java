package io.vmqtt.vthreads.internal.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts the environment's {@code NO_PROXY} exempts from its proxy, in the convention curl and
 * most tools share: a list separated by commas (and blanks); {@code *} alone exempts every host; a
 * name exempts itself and its subdomains ({@code example.com} and {@code .example.com} both exempt
 * {@code a.example.com}; a leading {@code *.} is taken as {@code .}); an IP address exempts itself
 * and a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) every address in it; {@code host:port}
 * (or {@code [v6]:port}) exempts the host on that port only. Names are compared without DNS,
 * ignoring case and a trailing dot: an address is exempt only when the broker is given by it.
 *
 * <p>Immutable and thread-safe.
 */
final class NoProxy {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  /** One entry: a name suffix, or an address block; a port, or -1 for any. */
  private record Entry(String name, byte[] network, int prefix, int port) {
    boolean matches(String host, byte[] address, int p) {
      if (port != -1 && port != p) {
        return false;
      }
      if (name != null) {
        return address == null && (host.equals(name) || host.endsWith("." + name));
      }
      return address != null && address.length == network.length && inBlock(address);
    }

    private boolean inBlock(byte[] address) {
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final boolean all;
  private final List<Entry> entries;

  private NoProxy(boolean all, List<Entry> entries) {
    this.all = all;
    this.entries = List.copyOf(entries);
  }

  /** The list in a {@code NO_PROXY} value; entries it cannot read are skipped, as curl does. */
  static NoProxy parse(String value) {
    boolean all = false;
    List<Entry> entries = new ArrayList<>();
    for (String token : value.split("[,\\s]+")) {
      String t = token.strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      if (t.equals("*")) {
        all = true;
        continue;
      }
      Entry e = entry(t);
      if (e != null) {
        entries.add(e);
      }
    }
    return new NoProxy(all, entries);
  }

  /** Whether a connection to {@code host:port} goes without the environment's proxy. */
  boolean matches(String host, int port) {
    if (all) {
      return true;
    }
    String h = normalized(host);
    byte[] address = literal(h);
    for (Entry e : entries) {
      if (e.matches(h, address, port)) {
        return true;
      }
    }
    return false;
  }

  private static Entry entry(String t) {
    int port = -1;
    String host = t;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        return null;
      }
      String after = host.substring(close + 1);
      host = host.substring(1, close);
      if (after.startsWith(":")) {
        port = port(after.substring(1));
      } else if (!after.isEmpty() && !after.startsWith("/")) {
        return null;
      } else {
        host = host + after; // [fd00::]/8
      }
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
      port = port(host.substring(host.indexOf(':') + 1));
      host = host.substring(0, host.indexOf(':'));
    }
    if (port == -2) {
      return null;
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      byte[] network = literal(host.substring(0, slash));
      int prefix;
      try {
        prefix = Integer.parseInt(host.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (network == null || prefix < 0 || prefix > network.length * 8) {
        return null;
      }
      return new Entry(null, network, prefix, port);
    }
    byte[] address = literal(host);
    if (address != null) {
      return new Entry(null, address, address.length * 8, port);
    }
    if (host.startsWith("*.")) {
      host = host.substring(2);
    }
    host = normalized(host.startsWith(".") ? host.substring(1) : host);
    return host.isEmpty() ? null : new Entry(host, null, 0, port);
  }

  private static int port(String text) {
    try {
      int p = Integer.parseInt(text);
      return p >= 1 && p <= 65535 ? p : -2;
    } catch (NumberFormatException e) {
      return -2;
    }
  }

  private static String normalized(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** The bytes of an IPv4 or IPv6 literal, or null when {@code host} is a name. No DNS. */
  static byte[] literal(String host) {
    if (!IPV4.matcher(host).matches()
        && !(host.indexOf(':') >= 0 && IPV6.matcher(host).matches())) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getAddress(); // a literal is parsed, not looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
