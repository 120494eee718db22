package dev.verdict.server.boot;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.util.Optional;
import java.util.function.Function;

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

  /** A Vert.x and the transport it really runs on. */
  record Started(Vertx vertx, TransportChoice transport) {}

  /**
   * Vert.x built by {@code build} on the transport {@code setting} asks for. Under {@code auto},
   * io_uring that fails to build (a ring refused at set-up) or that Vert.x quietly replaced with
   * NIO is reported as a fallback; asked for by name, either is an error.
   */
  static Started start(IoTransport setting, Function<Transport, Vertx> build) {
    TransportChoice choice = of(setting);
    Vertx vertx;
    try {
      vertx = build.apply(choice.transport());
    } catch (RuntimeException e) {
      if (setting != IoTransport.AUTO || choice.transport() == Transport.NIO) {
        throw e;
      }
      choice = choice.fallBack("event loops could not start on it: " + cause(e));
      vertx = build.apply(choice.transport());
    }
    if (choice.transport() != Transport.NIO && !vertx.isNativeTransportEnabled()) {
      String why = "Vert.x did not take it: " + cause(vertx.unavailableNativeTransportCause());
      if (setting != IoTransport.AUTO) {
        vertx.close();
        throw new IllegalStateException("the io_uring transport (`transport` is `io_uring`) did not start: " + why);
      }
      choice = choice.fallBack(why);
    }
    return new Started(vertx, choice);
  }

  private TransportChoice fallBack(String why) {
    return new TransportChoice(Transport.NIO, "nio", Optional.of(why));
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
