package dev.verdict.lang.testing;

import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one {@code test} block.
 *
 * @param failures what did not match, one sentence each; empty when the test passed
 * @param decision the last decision taken (for the trace in reports); empty when the test
 *     could not even build its request
 */
public record TestResult(String name, Span span, List<String> failures, Optional<Decision> decision, long nanos) {
  public TestResult {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(span, "span is null");
    failures = List.copyOf(failures);
    Objects.requireNonNull(decision, "decision is null");
  }

  public boolean passed() {
    return failures.isEmpty();
  }
}
