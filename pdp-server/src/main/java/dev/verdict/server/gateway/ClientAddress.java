package dev.verdict.server.gateway;

import dev.verdict.lang.types.IpAddress;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The client address that goes into {@code context.ip}. By default the peer address of this
 * connection, which behind a gateway is the gateway's. With {@code trust-forwarded-for} it is the
 * first hop of {@code X-Forwarded-For}: a client can write that header itself, so this is only
 * safe when every request reaches Verdict through a gateway that overwrites it
 * ({@code proxy_set_header X-Forwarded-For $remote_addr;} in nginx). A first hop that is not
 * an IP address falls back to the peer address, so a forged value cannot pick another key.
 */
final class ClientAddress {
  private static final int MAX_HEADER = 1024;

  private ClientAddress() {}

  static String of(HttpServerRequest request, boolean trustForwardedFor) {
    if (trustForwardedFor) {
      String xff = request.getHeader("X-Forwarded-For");
      if (xff != null && xff.length() <= MAX_HEADER) {
        int comma = xff.indexOf(',');
        String first = (comma < 0 ? xff : xff.substring(0, comma)).trim();
        if (!first.isEmpty() && IpAddress.parse(first).isPresent()) {
          return first;
        }
      }
    }
    SocketAddress peer = request.remoteAddress();
    if (peer == null || peer.hostAddress() == null) {
      return "";
    }
    return peer.hostAddress();
  }
}
