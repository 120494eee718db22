package dev.verdict.lang.types;

import java.util.Optional;

/** A CIDR range such as {@code 10.0.0.0/8} or {@code fd00::/8}, for {@code cidr(ip, range)}. */
public final class IpRange {
  private final byte[] network;
  private final int prefix;

  private IpRange(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /** Parses {@code address/prefix}; the prefix is at most 32 for IPv4 and 128 for IPv6. */
  public static Optional<IpRange> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      return Optional.empty();
    }
    Optional<IpAddress> addr = IpAddress.parse(text.substring(0, slash));
    String bits = text.substring(slash + 1);
    if (addr.isEmpty() || bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')
        || (bits.length() > 1 && bits.charAt(0) == '0')) {
      return Optional.empty();
    }
    int prefix = Integer.parseInt(bits);
    byte[] b = addr.get().bytes();
    if (prefix > b.length * 8) {
      return Optional.empty();
    }
    return Optional.of(new IpRange(b, prefix));
  }

  /**
   * Whether {@code ip} is in this range. Both are compared as IPv6, an IPv4 address as its
   * IPv4-mapped form ({@code ::ffff:a.b.c.d}, as dual-stack servers report IPv4 clients) and
   * an IPv4 range's prefix counted from bit 96, so an address and its mapped spelling are
   * always in the same ranges (and every address is in {@code ::/0}).
   */
  public boolean contains(IpAddress ip) {
    byte[] a = mapped(ip.bytes());
    byte[] n = mapped(network);
    int bits = network.length == 4 ? prefix + 96 : prefix;
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  private static byte[] mapped(byte[] b) {
    if (b.length == 16) {
      return b;
    }
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(b, 0, out, 12, 4);
    return out;
  }

  public int prefix() {
    return prefix;
  }
}
