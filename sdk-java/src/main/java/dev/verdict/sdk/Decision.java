package dev.verdict.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.mask.WriteCheck;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The answer to one check. Only {@link #allowed()} lets the caller go on: a deny, a rate-limited
 * request and a failure to get an answer all say false.
 *
 * <p>When the decision point could not be asked or its answer could not be read, the decision
 * is a deny whose {@link #failure()} says why (never a secret), unless the application
 * configured a fallback, whose answer then also carries the failure.
 */
public final class Decision {

  /** The decision point's answer. */
  public enum Outcome { ALLOW, DENY, RATE_LIMITED }

  private final Outcome outcome;
  private final List<String> reasons;
  private final List<String> errors;
  /** Made from {@code engineDecision} when first asked for: many callers only look at {@link #allowed()}. */
  private Map<String, String> readMask;
  private Set<String> writeDenied;
  private final dev.verdict.lang.eval.Decision engineDecision;
  private final Optional<Rate> rate;
  private final String policyVersion;
  private final String decisionId;
  private final Optional<String> failure;
  private final Masks masks;

  Decision(Outcome outcome, List<String> reasons, List<String> errors, Map<String, String> readMask,
      Set<String> writeDenied, Optional<Rate> rate, String policyVersion, String decisionId,
      Optional<String> failure, Masks masks) {
    this.outcome = Objects.requireNonNull(outcome, "outcome is null");
    this.reasons = List.copyOf(reasons);
    this.errors = List.copyOf(errors);
    this.readMask = Map.copyOf(readMask);
    this.writeDenied = Set.copyOf(writeDenied);
    this.rate = Objects.requireNonNull(rate, "rate is null");
    this.policyVersion = Objects.requireNonNull(policyVersion, "policyVersion is null");
    this.decisionId = Objects.requireNonNull(decisionId, "decisionId is null");
    this.failure = Objects.requireNonNull(failure, "failure is null");
    this.masks = Objects.requireNonNull(masks, "masks is null");
    this.engineDecision = null;
  }

  /**
   * An embedded engine's decision; its masks are turned into the SDK's when first asked for
   * (immutable values, so a race only makes them twice).
   */
  Decision(Outcome outcome, List<String> reasons, List<String> errors, dev.verdict.lang.eval.Decision engine,
      Optional<Rate> rate, String policyVersion, Optional<String> failure, Masks masks) {
    this.outcome = Objects.requireNonNull(outcome, "outcome is null");
    this.reasons = List.copyOf(reasons);
    this.errors = List.copyOf(errors);
    this.engineDecision = Objects.requireNonNull(engine, "engine is null");
    this.rate = Objects.requireNonNull(rate, "rate is null");
    this.policyVersion = Objects.requireNonNull(policyVersion, "policyVersion is null");
    this.decisionId = "";
    this.failure = Objects.requireNonNull(failure, "failure is null");
    this.masks = Objects.requireNonNull(masks, "masks is null");
  }

  /** The closed answer when no answer could be had: a deny saying why. */
  static Decision failed(String why, Masks masks) {
    return new Decision(Outcome.DENY, List.of(), List.of(), Map.of(), Set.of(), Optional.empty(), "", "",
        Optional.of(why), masks);
  }

  /**
   * What an application's {@link Fallback} answers when the decision point could not: allowed
   * or not, with no masks, carrying the failure so it can still be logged.
   */
  public static Decision fallback(boolean allowed, String failure) {
    return new Decision(allowed ? Outcome.ALLOW : Outcome.DENY, List.of(), List.of(), Map.of(), Set.of(),
        Optional.empty(), "", "", Optional.of(Objects.requireNonNull(failure, "failure is null")), Masks.NONE);
  }

  /** This decision with another client's mask settings (a fallback made by the application). */
  Decision withMasks(Masks m) {
    return new Decision(outcome, reasons, errors, readMask(), writeDenied(), rate, policyVersion, decisionId, failure,
        m);
  }

  /** True only for an allow: go on. */
  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** Ids of the rules that decided: the permits of an allow, the forbids of a deny by forbid. */
  public List<String> reasons() {
    return reasons;
  }

  /** Conditions that could not be evaluated (each failed closed), as {@code rule: message}. */
  public List<String> errors() {
    return errors;
  }

  /** For an allow: field path to {@code hide}, {@code redact}, {@code hash} or {@code partial(n)}. */
  public Map<String, String> readMask() {
    Map<String, String> m = readMask;
    if (m == null) {
      m = Map.copyOf(engineDecision.readMaskText());
      readMask = m;
    }
    return m;
  }

  /** For an allow: field paths a request body may not set. */
  public Set<String> writeDenied() {
    Set<String> w = writeDenied;
    if (w == null) {
      w = Set.copyOf(engineDecision.writeDenied());
      writeDenied = w;
    }
    return w;
  }

  /** The rate limit that applied, if any; {@link Rate#retryAfter()} for a rate-limited answer. */
  public Optional<Rate> rate() {
    return rate;
  }

  /** The version of the policy set that decided; empty for a failure. */
  public String policyVersion() {
    return policyVersion;
  }

  /** The decision point's id for this decision (the server's decision log has it); may be empty. */
  public String decisionId() {
    return decisionId;
  }

  /** Why no answer could be had from the decision point; empty for a real answer. */
  public Optional<String> failure() {
    return failure;
  }

  /**
   * The masked copy of {@code document} (the input is not changed), masked exactly as the server
   * and the gateway mask: see {@link dev.verdict.lang.mask.MaskApplier}. A {@code hash} mask
   * needs the key given to the client's builder ({@code hashKey}); without one, hashed fields
   * are redacted.
   *
   * @throws IllegalStateException for a decision that is not an allow: nothing may be shown
   */
  public JsonNode applyReadMask(JsonNode document) {
    requireAllowed("applyReadMask");
    return masks.apply(readMask(), document);
  }

  /** {@link #applyReadMask(JsonNode)} for a map of JSON-like values; returns a new map. */
  public Map<String, Object> applyReadMask(Map<String, ?> document) {
    JsonNode tree = Json.MAPPER.valueToTree(document);
    JsonNode masked = applyReadMask(tree);
    return Json.MAPPER.convertValue(masked, new TypeReference<Map<String, Object>>() {});
  }

  /**
   * {@link #applyReadMask(JsonNode)} for any object Jackson can serialise (a record, a bean, a
   * list of them): the masked JSON tree, ready to be written.
   */
  public JsonNode applyReadMask(Object value) {
    JsonNode tree = Json.MAPPER.valueToTree(value);
    return applyReadMask(tree);
  }

  /**
   * The denied field paths that {@code body} sets, sorted; empty when the write may go on.
   *
   * @throws IllegalStateException for a decision that is not an allow: no write may go on
   */
  public List<String> deniedWrites(JsonNode body) {
    requireAllowed("deniedWrites");
    return WriteCheck.deniedFields(dev.verdict.lang.mask.WriteMask.of(writeDenied()), body);
  }

  private void requireAllowed(String what) {
    if (!allowed()) {
      throw new IllegalStateException(what + " is for allowed decisions; this one is " + outcome
          + " (check allowed() first)");
    }
  }

  @Override
  public String toString() {
    return "Decision[" + outcome + (reasons.isEmpty() ? "" : " " + reasons) + (failure.map(f -> ", failure: " + f)
        .orElse("")) + "]";
  }
}
