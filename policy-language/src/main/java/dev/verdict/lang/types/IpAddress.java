package dev.verdict.lang.types;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address, parsed strictly and without name lookups, so that checking
 * {@code ip("…")} never touches the network. IPv4 is dotted decimal with no leading zeros
 * (so {@code 010.0.0.1} is not read as octal); IPv6 is RFC 4291 text, with {@code ::} and an
 * optional IPv4 tail, without zone ids.
 */
public final class IpAddress {
  private final byte[] bytes;

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Optional<IpAddress> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    byte[] b = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    return Optional.ofNullable(b).map(IpAddress::new);
  }

  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isV4() {
    return bytes.length == 4;
  }

  /** {@code 127.0.0.0/8} or {@code ::1}. */
  public boolean isLoopback() {
    if (isV4()) {
      return bytes[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[15] == 1;
  }

  /** {@code 224.0.0.0/4} or {@code ff00::/8}. */
  public boolean isMulticast() {
    return isV4() ? (bytes[0] & 0xf0) == 0xe0 : (bytes[0] & 0xff) == 0xff;
  }

  static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String s) {
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
      return null;
    }
    String head = dc >= 0 ? s.substring(0, dc) : s;
    String tail = dc >= 0 ? s.substring(dc + 2) : "";
    if (dc >= 0 && head.indexOf('.') >= 0) {
      return null; // an IPv4 part may only end the address
    }
    int[] headGroups = groups(head);
    if (headGroups == null) {
      return null;
    }
    int[] tailGroups = dc >= 0 ? groups(tail) : new int[0];
    if (tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if (dc < 0 ? total != 8 : total > 7) {
      return null;
    }
    int[] all = new int[8];
    System.arraycopy(headGroups, 0, all, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /** The 16-bit groups of one side of {@code ::}; a final dotted IPv4 part counts as two. */
  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int[] out = new int[parts.length + 1];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.indexOf('.') >= 0) {
        byte[] v4 = parseV4(p);
        if (v4 == null) {
          return null;
        }
        out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        int d = Character.digit(p.charAt(k), 16);
        if (d < 0) {
          return null;
        }
        v = v * 16 + d;
      }
      out[n++] = v;
    }
    return Arrays.copyOf(out, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress a && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    if (isV4()) {
      return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i > 0) {
        b.append(':');
      }
      b.append(Integer.toHexString(((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff)));
    }
    return b.toString();
  }
}
