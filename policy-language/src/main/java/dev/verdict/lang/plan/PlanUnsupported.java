package dev.verdict.lang.plan;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/**
 * A plan that cannot be expressed as a filter: a condition reads the resource in a way the
 * filter language has no atom for (arithmetic on a resource attribute, a function of it, two
 * resource attributes compared, …). Never a partial answer: the caller decides per resource
 * instead. The message names the rule and the expression, with its place in the policy.
 */
public final class PlanUnsupported extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Span span;

  public PlanUnsupported(Span span, String message) {
    super(message);
    this.span = Objects.requireNonNull(span, "span is null");
  }

  /** Where the construct is written. */
  public Span span() {
    return span;
  }
}
