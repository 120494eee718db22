package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Objects;

/** {@code holder.ssn} or {@code items[].price}: dotted segments, {@code []} reaching into lists. */
public record FieldPath(List<Segment> segments, Span span) {
  public FieldPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a field path has at least one segment");
    }
  }

  /** One segment; {@code list} when followed by {@code []}. */
  public record Segment(String name, boolean list) {
    public Segment {
      Objects.requireNonNull(name, "name is null");
    }
  }

  /** The canonical text, e.g. {@code items[].price}. */
  public String text() {
    StringBuilder b = new StringBuilder();
    for (Segment s : segments) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(s.name());
      if (s.list()) {
        b.append("[]");
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return text();
  }
}
