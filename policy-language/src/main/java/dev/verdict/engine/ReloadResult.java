package dev.verdict.engine;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.source.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * What a reload did.
 *
 * @param ok the set compiled; when not, the previous one keeps serving
 * @param changed a new version is now active (false for an unchanged or refused set)
 * @param version the version active after the reload ("" when none ever loaded)
 * @param previousVersion the version active before ("" when none)
 * @param check the diagnostics of the attempt (warnings too), with their sources for rendering
 */
public record ReloadResult(boolean ok, boolean changed, String version, String previousVersion, CheckResult check) {
  public ReloadResult {
    Objects.requireNonNull(version, "version is null");
    Objects.requireNonNull(previousVersion, "previousVersion is null");
    Objects.requireNonNull(check, "check is null");
  }

  public List<Diagnostic> diagnostics() {
    return check.diagnostics();
  }
}
