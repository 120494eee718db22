package dev.verdict.server.boot;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a bind address only accepts connections from this machine. */
final class Loopback {
  private Loopback() {}

  static boolean is(String host) {
    String h = host.trim();
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (!h.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      // A name other than localhost could resolve to anything, now or later.
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
