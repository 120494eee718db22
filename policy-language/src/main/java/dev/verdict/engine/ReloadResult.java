package dev.verdict.engine;

import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.DiagnosticRenderer;
import dev.verdict.lang.source.SourceSet;
import java.util.List;
import java.util.Objects;

/**
 * What a reload did.
 *
 * @param ok the set compiled; when not, the previous one keeps serving
 * @param changed a new version is now active (false for an unchanged or refused set)
 * @param version the version active after the reload ("" when none ever loaded)
 * @param previousVersion the version active before ("" when none)
 * @param sources the files the attempt read, for rendering its diagnostics
 * @param diagnostics the diagnostics of the attempt (warnings too), in position order
 */
public record ReloadResult(boolean ok, boolean changed, String version, String previousVersion, SourceSet sources,
    List<Diagnostic> diagnostics) {
  public ReloadResult {
    Objects.requireNonNull(version, "version is null");
    Objects.requireNonNull(previousVersion, "previousVersion is null");
    Objects.requireNonNull(sources, "sources is null");
    diagnostics = diagnostics.stream().sorted().toList();
  }

  /** The diagnostics rendered with source lines and carets. */
  public String render() {
    return DiagnosticRenderer.of(sources.byName()).render(diagnostics);
  }
}
