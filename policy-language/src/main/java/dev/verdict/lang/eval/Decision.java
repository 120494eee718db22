package dev.verdict.lang.eval;

import dev.verdict.lang.ast.FieldEffect;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The answer to one request.
 *
 * @param outcome allow, deny, or rate limited (an allow that exceeded a limit)
 * @param reasons ids of the rules that decided it: the forbids that applied for a deny by
 *     forbid, the permits that applied for an allow; empty for a default deny
 * @param errors conditions that could not be evaluated, each failing closed
 * @param readMask for an allowed decision: field path to the effect the caller must apply
 * @param writeDenied for an allowed decision: field paths the caller must refuse to set
 * @param rate the rate decision when the request carried an intent with limits
 * @param trace every rule considered and why it did or did not apply, when asked for
 */
public record Decision(
    Outcome outcome,
    List<String> reasons,
    List<EvalError> errors,
    Map<String, FieldEffect> readMask,
    Set<String> writeDenied,
    Optional<RateDecision> rate,
    Optional<Trace> trace,
    String policyVersion) {

  public enum Outcome {
    ALLOW("allow"), DENY("deny"), RATE_LIMITED("rate_limited");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  public Decision {
    Objects.requireNonNull(outcome, "outcome is null");
    reasons = List.copyOf(reasons);
    errors = List.copyOf(errors);
    readMask = Map.copyOf(readMask);
    writeDenied = Set.copyOf(writeDenied);
    Objects.requireNonNull(rate, "rate is null");
    Objects.requireNonNull(trace, "trace is null");
    Objects.requireNonNull(policyVersion, "policyVersion is null");
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }

  /** The read mask, ready for {@link dev.verdict.lang.mask.MaskApplier#apply}. */
  public dev.verdict.lang.mask.ReadMask fieldMask() {
    return dev.verdict.lang.mask.ReadMask.of(readMask);
  }

  /**
   * The read mask as policies write it, path → effect ({@code holder.ssn → partial(4)}), sorted
   * by path: the one text form every answer, log and message uses.
   */
  public java.util.SortedMap<String, String> readMaskText() {
    java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
    readMask.forEach((path, effect) -> out.put(path, effect.text()));
    return java.util.Collections.unmodifiableSortedMap(out);
  }

  /** The write mask, ready for {@link dev.verdict.lang.mask.WriteCheck#deniedFields}. */
  public dev.verdict.lang.mask.WriteMask writeMask() {
    return dev.verdict.lang.mask.WriteMask.of(writeDenied);
  }

  /** The same decision with a rate outcome applied (a refused budget turns allow into rate_limited). */
  public Decision withRate(RateDecision r) {
    Outcome o = outcome == Outcome.ALLOW && !r.allowed() ? Outcome.RATE_LIMITED : outcome;
    return new Decision(o, reasons, errors, readMask, writeDenied, Optional.of(r), trace, policyVersion);
  }
}
