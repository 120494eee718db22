package dev.verdict.lang.testing;

import java.util.List;

/** Every test's result and the coverage of the set. */
public record TestReport(List<TestResult> results, Coverage coverage) {
  public TestReport {
    results = List.copyOf(results);
  }

  public long failed() {
    return results.stream().filter(r -> !r.passed()).count();
  }

  public boolean passed() {
    return failed() == 0;
  }
}
