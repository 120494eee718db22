package dev.verdict.server.cli;

import dev.verdict.lang.CheckResult;

/** The last line of {@code verdict check}: "ok: …" or "error: …". */
final class Summary {
  private Summary() {}

  static String of(CheckResult r) {
    String files = plural(fileCount(r), "file");
    if (r.hasErrors()) {
      return "error: " + plural(r.errorCount(), "error") + ", " + plural(r.warningCount(), "warning")
          + " in " + files;
    }
    return "ok: " + files + " checked, " + plural(r.warningCount(), "warning");
  }

  /** The summary of a workspace: every set's files and problems together. */
  static String ofSets(java.util.List<CheckResult> results) {
    long files = results.stream().mapToLong(Summary::fileCount).sum();
    long errors = results.stream().mapToLong(CheckResult::errorCount).sum();
    long warnings = results.stream().mapToLong(CheckResult::warningCount).sum();
    String sets = plural(results.size(), "policy set");
    if (errors > 0) {
      return "error: " + plural(errors, "error") + ", " + plural(warnings, "warning") + " in " + sets
          + " (" + plural(files, "file") + ")";
    }
    return "ok: " + sets + ", " + plural(files, "file") + " checked, " + plural(warnings, "warning");
  }

  /** The files checked: policy files and entity data files, in text and JSON alike. */
  static long fileCount(CheckResult r) {
    return r.files().size() + r.sources().entityData().size();
  }

  static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
