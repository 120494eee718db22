package dev.verdict.lang.source;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem found in a policy set: a stable code, where it is, what is wrong and, where
 * useful, how to fix it. Messages follow docs/STYLE.md: lower case, no final period, user
 * input in backticks, no implementation type names.
 *
 * @param jsonPath for entity data files, the JSON path of the offending value (e.g.
 *     {@code $[3].parents[0]}); empty for policy files
 * @param related other places that explain this one (e.g. the first definition of a
 *     duplicate name)
 */
public record Diagnostic(
    Code code,
    Severity severity,
    Span span,
    String message,
    Optional<String> help,
    Optional<String> jsonPath,
    List<Related> related) implements Comparable<Diagnostic> {

  /** Another place that belongs to a diagnostic, with a note. */
  public record Related(Span span, String note) {
    public Related {
      Objects.requireNonNull(span, "span is null");
      Objects.requireNonNull(note, "note is null");
    }
  }

  public Diagnostic {
    Objects.requireNonNull(code, "code is null");
    Objects.requireNonNull(severity, "severity is null");
    Objects.requireNonNull(span, "span is null");
    Objects.requireNonNull(message, "message is null");
    Objects.requireNonNull(help, "help is null");
    Objects.requireNonNull(jsonPath, "jsonPath is null");
    related = List.copyOf(related);
  }

  public static Diagnostic of(Code code, Span span, String message) {
    return new Diagnostic(code, code.severity(), span, message, Optional.empty(), Optional.empty(), List.of());
  }

  public static Diagnostic of(Code code, Span span, String message, String help) {
    return new Diagnostic(code, code.severity(), span, message, Optional.ofNullable(help), Optional.empty(), List.of());
  }

  public Diagnostic withHelp(String h) {
    return new Diagnostic(code, severity, span, message, Optional.ofNullable(h), jsonPath, related);
  }

  public Diagnostic withJsonPath(String path) {
    return new Diagnostic(code, severity, span, message, help, Optional.ofNullable(path), related);
  }

  public Diagnostic withRelated(Span where, String note) {
    List<Related> more = new java.util.ArrayList<>(related);
    more.add(new Related(where, note));
    return new Diagnostic(code, severity, span, message, help, jsonPath, more);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** Position order: file, line, column, then code so that the order is total and stable. */
  @Override
  public int compareTo(Diagnostic o) {
    int c = span.compareTo(o.span);
    if (c != 0) {
      return c;
    }
    c = code.id().compareTo(o.code.id());
    return c != 0 ? c : message.compareTo(o.message);
  }
}
