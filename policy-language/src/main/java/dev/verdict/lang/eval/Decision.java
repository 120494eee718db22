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
 * @param fieldMask {@code readMask} parsed, ready to apply: the engine builds it from the paths
 *     it parsed when the set was compiled, so no caller parses a mask per decision; null to have
 *     it parsed from {@code readMask} here (null also when that map is not a valid mask: then
 *     {@link #fieldMask()} throws, as parsing it would)
 * @param writeMask {@code writeDenied} parsed, the same way
 */
public record Decision(
    Outcome outcome,
    List<String> reasons,
    List<EvalError> errors,
    Map<String, FieldEffect> readMask,
    Set<String> writeDenied,
    Optional<RateDecision> rate,
    Optional<Trace> trace,
    String policyVersion,
    dev.verdict.lang.mask.ReadMask fieldMask,
    dev.verdict.lang.mask.WriteMask writeMask) {

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
    // a mask's own maps are immutable already: kept, not copied
    readMask = fieldMask != null && readMask == fieldMask.effects() ? readMask : Map.copyOf(readMask);
    writeDenied = writeMask != null && writeDenied == writeMask.denied() ? writeDenied : Set.copyOf(writeDenied);
    Objects.requireNonNull(rate, "rate is null");
    Objects.requireNonNull(trace, "trace is null");
    Objects.requireNonNull(policyVersion, "policyVersion is null");
    fieldMask = fieldMask != null ? fieldMask : parsedOrNull(readMask);
    writeMask = writeMask != null ? writeMask : parsedOrNull(writeDenied);
  }

  /** A decision whose masks are parsed from {@code readMask} and {@code writeDenied}. */
  public Decision(Outcome outcome, List<String> reasons, List<EvalError> errors, Map<String, FieldEffect> readMask,
      Set<String> writeDenied, Optional<RateDecision> rate, Optional<Trace> trace, String policyVersion) {
    this(outcome, reasons, errors, readMask, writeDenied, rate, trace, policyVersion, null, null);
  }

  /**
   * A decision whose masks the engine has already built: {@code readMask} and
   * {@code writeDenied} are their contents.
   */
  static Decision masked(Outcome outcome, List<String> reasons, List<EvalError> errors,
      dev.verdict.lang.mask.ReadMask read, dev.verdict.lang.mask.WriteMask write, Optional<Trace> trace,
      String policyVersion) {
    return new Decision(outcome, reasons, errors, read.isEmpty() ? Map.of() : read.effects(),
        write.isEmpty() ? Set.of() : write.denied(), Optional.empty(), trace, policyVersion, read, write);
  }

  private static dev.verdict.lang.mask.ReadMask parsedOrNull(Map<String, FieldEffect> readMask) {
    if (readMask.isEmpty()) {
      return dev.verdict.lang.mask.ReadMask.empty();
    }
    try {
      return dev.verdict.lang.mask.ReadMask.of(readMask);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static dev.verdict.lang.mask.WriteMask parsedOrNull(Set<String> writeDenied) {
    if (writeDenied.isEmpty()) {
      return dev.verdict.lang.mask.WriteMask.empty();
    }
    try {
      return dev.verdict.lang.mask.WriteMask.of(writeDenied);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }

  /**
   * The read mask, ready for {@link dev.verdict.lang.mask.MaskApplier#apply}; parsed once.
   *
   * @throws IllegalArgumentException when {@code readMask} is not a valid mask
   */
  @Override
  public dev.verdict.lang.mask.ReadMask fieldMask() {
    return fieldMask != null ? fieldMask : dev.verdict.lang.mask.ReadMask.of(readMask);
  }

  /**
   * The read mask as policies write it, path → effect ({@code holder.ssn → partial(4)}), sorted
   * by path: the one text form every answer, log and message uses.
   */
  public java.util.SortedMap<String, String> readMaskText() {
    if (readMask.isEmpty()) {
      return java.util.Collections.emptySortedMap();
    }
    java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
    readMask.forEach((path, effect) -> out.put(path, effect.text()));
    return java.util.Collections.unmodifiableSortedMap(out);
  }

  /**
   * The write mask, ready for {@link dev.verdict.lang.mask.WriteCheck#deniedFields}; parsed once.
   *
   * @throws IllegalArgumentException when {@code writeDenied} holds a path that is not a field path
   */
  @Override
  public dev.verdict.lang.mask.WriteMask writeMask() {
    return writeMask != null ? writeMask : dev.verdict.lang.mask.WriteMask.of(writeDenied);
  }

  /** The same decision with other errors and trace (what the rate limits added), masks as they are. */
  Decision withErrors(List<EvalError> allErrors, Optional<Trace> allTrace) {
    return new Decision(outcome, reasons, allErrors, readMask, writeDenied, rate, allTrace, policyVersion, fieldMask,
        writeMask);
  }

  /** The same decision with a rate outcome applied (a refused budget turns allow into rate_limited). */
  public Decision withRate(RateDecision r) {
    Outcome o = outcome == Outcome.ALLOW && !r.allowed() ? Outcome.RATE_LIMITED : outcome;
    return new Decision(o, reasons, errors, readMask, writeDenied, Optional.of(r), trace, policyVersion, fieldMask,
        writeMask);
  }
}
