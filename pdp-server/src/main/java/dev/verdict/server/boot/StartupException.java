package dev.verdict.server.boot;

/** The server cannot start; the message is for the operator, the exit code for scripts. */
public final class StartupException extends Exception {
  private final int exitCode;

  public StartupException(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
