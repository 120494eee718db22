package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Why a decision came out as it did: every rule considered, in order, with what happened. */
public record Trace(List<Step> steps) {
  public Trace {
    steps = List.copyOf(steps);
  }

  /** What became of one rule, derived role, field rule or limit. */
  public enum Status {
    /** The rule applied (for a field rule: its effect is in the mask). */
    APPLIED,
    /** The principal holds none of the rule's roles. */
    ROLE_NOT_HELD,
    /** A `when` was false or an `unless` was true. */
    CONDITION_FAILED,
    /** A condition could not be evaluated; the rule failed closed. */
    ERROR,
    /** Not evaluated, because the decision was already taken (permits after a forbid applied). */
    SKIPPED
  }

  /**
   * @param kind {@code permit}, {@code forbid}, {@code role}, {@code field} or {@code limit}
   * @param id the rule id ({@code @id} or {@code policy:line}), role or limit name, or field path
   * @param detail a sentence for people: which condition, which values
   * @param annotations the rule's annotations with a value, {@code @id} aside (it is the id):
   *     {@code @reason} and the author's own, such as {@code @owner("team-payments")}; in
   *     source order
   */
  public record Step(String kind, String id, Span span, Status status, String detail, Map<String, String> annotations) {
    public Step {
      Objects.requireNonNull(kind, "kind is null");
      Objects.requireNonNull(id, "id is null");
      Objects.requireNonNull(span, "span is null");
      Objects.requireNonNull(status, "status is null");
      Objects.requireNonNull(detail, "detail is null");
      annotations = annotations.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    public Step(String kind, String id, Span span, Status status, String detail) {
      this(kind, id, span, status, detail, Map.of());
    }
  }

  /** The trace as indented text, one step per line. */
  public String render() {
    StringBuilder b = new StringBuilder();
    for (Step s : steps) {
      b.append(String.format("%-7s %-28s %-16s %s%n", s.kind(), s.id(), s.status().name().toLowerCase(), s.detail()));
    }
    return b.toString();
  }
}
