package dev.verdict.server.boot;

import io.vertx.core.transport.Transport;
import java.util.Optional;

/**
 * The transport the event loops run on, resolved from the {@code transport} setting at start.
 *
 * @param transport what Vert.x is built with
 * @param name {@code io_uring} or {@code nio}: for the metric and the operator
 * @param fallback with {@code auto}, why io_uring was not taken; empty when it was, or when NIO was asked for
 */
record TransportChoice(Transport transport, String name, Optional<String> fallback) {
  static final TransportChoice NIO = new TransportChoice(Transport.NIO, "nio", Optional.empty());

  /**
   * Asks the kernel once (Netty loads its library and sets up a probe ring). {@code io_uring}
   * that is not available is refused: it was asked for by name, so running slower without it
   * would be a surprise found under load.
   */
  static TransportChoice of(IoTransport setting) {
    if (setting == IoTransport.NIO) {
      return NIO;
    }
    // null when Netty's io_uring classes are not on the class path at all
    Transport uring = Transport.IO_URING;
    if (uring != null && uring.available()) {
      return new TransportChoice(uring, "io_uring", Optional.empty());
    }
    String why = uring == null ? "Netty's io_uring transport is not on the class path" : cause(uring.unavailabilityCause());
    if (setting == IoTransport.IO_URING) {
      throw new IllegalStateException("the io_uring transport (`transport` is `io_uring`) is not available here: "
          + why + "; set `transport` to `auto` (io_uring when available, NIO otherwise) or `nio`");
    }
    return new TransportChoice(Transport.NIO, "nio", Optional.of(why));
  }

  /** NIO after io_uring was taken but Vert.x could not start on it (a ring refused at set-up). */
  TransportChoice fallBack(Throwable failure) {
    return new TransportChoice(Transport.NIO, "nio", Optional.of("event loops could not start on it: " + cause(failure)));
  }

  private static String cause(Throwable t) {
    Throwable root = t;
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root == null) {
      return "no reason given";
    }
    String m = root.getMessage();
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }
}
