package dev.verdict.lang.syntax;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of parsing one file: the declarations that could be built and every problem
 * found, in position order. When {@link #hasErrors()} the file may hold fewer declarations
 * than were written.
 */
public record ParseResult(PolicyFile file, List<Diagnostic> diagnostics) {
  public ParseResult {
    Objects.requireNonNull(file, "file is null");
    diagnostics = diagnostics.stream().sorted().toList();
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
