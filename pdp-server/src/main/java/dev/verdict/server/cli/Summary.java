package dev.verdict.server.cli;

import dev.verdict.lang.CheckResult;

/** The last line of {@code verdict check}: "ok: …" or "error: …". */
final class Summary {
  private Summary() {}

  static String of(CheckResult r) {
    String files = plural(r.files().size() + r.sources().entityData().size(), "file");
    if (r.hasErrors()) {
      return "error: " + plural(r.errorCount(), "error") + ", " + plural(r.warningCount(), "warning")
          + " in " + files;
    }
    return "ok: " + files + " checked, " + plural(r.warningCount(), "warning");
  }

  static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
