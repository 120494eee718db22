package dev.verdict.server.cli;

import dev.verdict.engine.ReloadResult;
import dev.verdict.lang.CheckResult;
import dev.verdict.lang.source.Diagnostic;

/** The last line of {@code verdict check}: "ok: …" or "error: …". */
final class Summary {
  private Summary() {}

  static String of(CheckResult r) {
    return of(fileCount(r), r.errorCount(), r.warningCount());
  }

  /** The same line for an engine's load of a set. */
  static String of(ReloadResult r) {
    long errors = r.diagnostics().stream().filter(Diagnostic::isError).count();
    return of(r.sources().policies().size() + r.sources().entityData().size(), errors, r.diagnostics().size() - errors);
  }

  private static String of(long fileCount, long errors, long warnings) {
    String files = plural(fileCount, "file");
    if (errors > 0) {
      return "error: " + plural(errors, "error") + ", " + plural(warnings, "warning") + " in " + files;
    }
    return "ok: " + files + " checked, " + plural(warnings, "warning");
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
