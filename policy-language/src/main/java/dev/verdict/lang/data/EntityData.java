package dev.verdict.lang.data;

import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Map;

/**
 * What {@link EntityDataReader} read from one file: the well-formed entities, in file order,
 * and a diagnostic for every problem. An entity whose uid is malformed is left out; one with
 * a malformed attribute block or parent keeps the rest.
 *
 * @param positions where each value was written, by JSON path ({@code $[3].attrs.owner});
 *     for object keys the path is prefixed with {@code key:}. Empty unless asked for.
 */
public record EntityData(List<EntityRecord> records, List<Diagnostic> diagnostics, Map<String, Span> positions) {
  public EntityData {
    records = List.copyOf(records);
    diagnostics = List.copyOf(diagnostics);
    positions = Map.copyOf(positions);
  }

  /** Where the value at {@code jsonPath} was written, or {@code fallback} when unknown. */
  public Span spanAt(String jsonPath, Span fallback) {
    return positions.getOrDefault(jsonPath, fallback);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
