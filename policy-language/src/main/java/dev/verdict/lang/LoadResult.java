package dev.verdict.lang;

import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.source.Diagnostic;
import java.util.List;
import java.util.Optional;

/** A loaded policy set, or the diagnostics that kept it from loading (warnings come either way). */
public record LoadResult(Optional<PolicySet> policySet, CheckResult check) {
  public boolean ok() {
    return policySet.isPresent();
  }

  public List<Diagnostic> diagnostics() {
    return check.diagnostics();
  }
}
