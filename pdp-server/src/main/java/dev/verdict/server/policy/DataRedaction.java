package dev.verdict.server.policy;

import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.DiagnosticRenderer;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps entity data out of the server's reload diagnostics. Data files hold attribute values,
 * any of which may be {@code @sensitive} (an SSN, a PIN), and a checker message or a source
 * line would print them on stderr and at {@code GET /v1/policies}. So a diagnostic in a data
 * file keeps its code, location, JSON path and help, but its message becomes the code's title
 * and no source line is shown; {@code verdict check} on the operator's own copy shows all.
 * Diagnostics in policy files are kept whole: policies are code, not data.
 */
final class DataRedaction {
  private final Set<String> dataFiles;
  private final Map<String, Source> policySources;

  DataRedaction(SourceSet sources) {
    this.dataFiles = sources.entityData().stream().map(Source::name).collect(Collectors.toUnmodifiableSet());
    this.policySources = sources.policies().stream()
        .collect(Collectors.toUnmodifiableMap(Source::name, s -> s, (a, b) -> a));
  }

  List<Diagnostic> apply(Collection<Diagnostic> diagnostics) {
    List<Diagnostic> out = new ArrayList<>(diagnostics.size());
    for (Diagnostic d : diagnostics) {
      out.add(dataFiles.contains(d.span().file()) ? redacted(d) : d);
    }
    return out;
  }

  /** Renders with source lines from policy files only. */
  String render(Collection<Diagnostic> diagnostics) {
    return new DiagnosticRenderer(policySources::get).render(apply(diagnostics));
  }

  private static Diagnostic redacted(Diagnostic d) {
    String message = d.code().title() + " (entity data values are not shown by the server;"
        + " run `verdict check` on the directory to see them)";
    return new Diagnostic(d.code(), d.severity(), d.span(), message, d.help(), d.jsonPath(), d.related());
  }
}
