package dev.verdict.server.log;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * The server's operational lines (reloads, key refreshes, refused tokens, failures) as a
 * {@link System.Logger} writing to one stream, stderr in production: {@code verdict: message},
 * {@code verdict: warning: message} and {@code verdict: error: message}, the stack trace only
 * for an error that carries one (a bug of ours, never bad input). Each server logs to its own,
 * so a test reads the lines of its server only. Debug and trace lines are dropped. Callers never
 * pass tokens, secrets or {@code @sensitive} values.
 */
public final class OperationalLog implements System.Logger {
  private final PrintStream out;

  public OperationalLog(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out is null");
  }

  /** Lines on the process's stderr, for parts that run outside a server (a decision log alone). */
  public static System.Logger stderr() {
    return new OperationalLog(System.err);
  }

  @Override
  public String getName() {
    return "dev.verdict.server";
  }

  @Override
  public boolean isLoggable(Level level) {
    return level != Level.OFF && level.getSeverity() >= Level.INFO.getSeverity();
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (!isLoggable(level)) {
      return;
    }
    // One print per record, so lines of two threads never interleave mid-line.
    StringBuilder line = new StringBuilder("verdict: ").append(prefix(level)).append(msg).append(System.lineSeparator());
    synchronized (out) {
      out.print(line);
      if (thrown != null && level == Level.ERROR) {
        thrown.printStackTrace(out);
      }
      out.flush();
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (isLoggable(level)) {
      log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
          (Throwable) null);
    }
  }

  private static String prefix(Level level) {
    return switch (level) {
      case WARNING -> "warning: ";
      case ERROR -> "error: ";
      default -> "";
    };
  }
}
