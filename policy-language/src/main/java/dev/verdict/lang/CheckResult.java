package dev.verdict.lang;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.data.EntityDataFile;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.DiagnosticRenderer;
import dev.verdict.lang.source.SourceSet;
import java.util.List;

/**
 * What {@link Verdict#check} found: the parsed policy and entity data files and every
 * diagnostic, in position order. The compiler takes the data files from here, so each is read
 * once.
 */
public record CheckResult(SourceSet sources, List<PolicyFile> files, List<EntityDataFile> data,
    List<Diagnostic> diagnostics) {
  public CheckResult {
    files = List.copyOf(files);
    data = List.copyOf(data);
    diagnostics = diagnostics.stream().sorted().toList();
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  public long errorCount() {
    return diagnostics.stream().filter(Diagnostic::isError).count();
  }

  public long warningCount() {
    return diagnostics.size() - errorCount();
  }

  /** The diagnostics rendered with source lines and carets. */
  public String render() {
    return DiagnosticRenderer.of(sources.byName()).render(diagnostics);
  }
}
