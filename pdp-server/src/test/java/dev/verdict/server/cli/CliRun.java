package dev.verdict.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the {@code verdict} command in process: its exit code and what it printed. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = VerdictCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Never a stack trace or an exception's class name in front of the user. */
  boolean showsNoException() {
    String all = out + err;
    return !all.contains("Exception") && !all.contains("\tat ") && !all.contains("Error:");
  }
}
