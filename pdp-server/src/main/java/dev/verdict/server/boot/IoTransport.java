package dev.verdict.server.boot;

import java.util.Locale;

/**
 * The kernel interface the HTTP event loops read and write sockets through (docs/operations.md,
 * "Transport"). io_uring takes fewer system calls per request than the JDK's selector: on the
 * peer model it cut the server's CPU per AuthZEN request by about a third (docs/benchmarks.md,
 * "The tenth pass").
 */
public enum IoTransport {
  /** io_uring where this kernel and process may use it, otherwise NIO with a warning saying why. */
  AUTO,
  /** io_uring or no start: for operators who sized their nodes on it. */
  IO_URING,
  /** The JDK's NIO selector, whatever the kernel offers. */
  NIO;

  /** As written in settings: {@code auto}, {@code io_uring}, {@code nio}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
