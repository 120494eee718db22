package dev.verdict.server.log;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.eval.EvalError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reusable slot of the decision log's ring: a request thread fills it with references to what
 * the decision already holds (ids, the decision's own immutable lists and maps), and the writer
 * formats it and clears it for the next use. Nothing is copied or formatted on the request thread.
 * The fields are published by {@link LogRing} (the writer reads them only after the slot's
 * sequence says they are complete).
 */
final class LogEntry {
  /** The least {@link #estimatedBytes} of any record. */
  static final int MIN_BYTES = 256;

  /** The sequence this slot holds the record of; -1 before its first use. */
  volatile long published = -1;
  /** Over the byte bound (or the log closed) after it was claimed: the writer skips it. */
  boolean dropped;
  long bytes;

  long time;
  String decisionId;
  String requestId;
  String policyVersion;
  String caller;
  String endpoint;
  String principalType;
  String principalId;
  String resourceType;
  String resourceId;
  String action;
  String intent;
  String decision;
  List<String> reasons;
  /** The read mask as text (a {@link DecisionRecord}'s), or null. */
  Map<String, String> readMaskText;
  /** The read mask as a decision holds it (its effects' text is written), or null. */
  Map<String, FieldEffect> readMaskEffects;
  Set<String> writeDenied;
  /** Whether a rate limit applied; then its name, whether it admitted, what remains, the fail mode or null. */
  boolean rated;
  String rateLimit;
  boolean rateAllowed;
  long rateRemaining;
  String rateUnavailable;
  long latencyMicros;
  /** A {@link DecisionRecord}'s errors, or null. */
  List<DecisionRecord.EvalFailure> failures;
  /** A decision's errors (code, rule and position are written, never the message), or null. */
  List<EvalError> errors;

  void fill(DecisionRecord r) {
    time = r.time();
    decisionId = r.decisionId();
    requestId = r.requestId();
    policyVersion = r.policyVersion();
    caller = r.caller();
    endpoint = r.endpoint();
    principalType = r.principalType();
    principalId = r.principalId();
    resourceType = r.resourceType();
    resourceId = r.resourceId();
    action = r.action();
    intent = r.intent();
    decision = r.decision();
    reasons = r.reasons();
    readMaskText = r.readMask();
    writeDenied = r.writeDenied();
    rated = r.rate() != null;
    if (rated) {
      rateLimit = r.rate().limit();
      rateAllowed = r.rate().allowed();
      rateRemaining = r.rate().remaining();
      rateUnavailable = r.rate().unavailable();
    }
    latencyMicros = r.latencyMicros();
    failures = r.errors();
  }

  /** Drops the references, so that a written record's strings do not stay reachable from the ring. */
  void clear() {
    dropped = false;
    decisionId = requestId = policyVersion = caller = endpoint = null;
    principalType = principalId = resourceType = resourceId = action = intent = decision = null;
    reasons = null;
    readMaskText = null;
    readMaskEffects = null;
    writeDenied = null;
    rated = false;
    rateLimit = rateUnavailable = null;
    failures = null;
    errors = null;
  }

  int errorCount() {
    return failures != null ? failures.size() : errors != null ? errors.size() : 0;
  }

  /**
   * About what the record holds on the heap, in bytes, as {@link DecisionRecord#estimatedBytes}
   * counts it: the log's ring is bounded by this sum, since ids and reasons come from callers and
   * policies and their length is theirs to choose. Counted without allocating (indexes, not
   * iterators, where the collections allow it).
   */
  long estimatedBytes() {
    long chars = length(decisionId) + length(requestId) + length(policyVersion) + length(caller) + length(endpoint)
        + length(principalType) + length(principalId) + length(resourceType) + length(resourceId) + length(action)
        + length(intent) + length(decision);
    for (int i = 0; i < reasons.size(); i++) {
      chars += length(reasons.get(i)) + 16;
    }
    if (readMaskText != null && !readMaskText.isEmpty()) {
      for (Map.Entry<String, String> e : readMaskText.entrySet()) {
        chars += length(e.getKey()) + length(e.getValue()) + 32;
      }
    }
    if (readMaskEffects != null && !readMaskEffects.isEmpty()) {
      for (Map.Entry<String, FieldEffect> e : readMaskEffects.entrySet()) {
        // an effect's text is a word or partial(N): at most 20 characters
        chars += length(e.getKey()) + 20 + 32;
      }
    }
    if (!writeDenied.isEmpty()) {
      for (String path : writeDenied) {
        chars += length(path) + 16;
      }
    }
    // the record, its lists and strings' headers; every character counted as two bytes
    return MIN_BYTES + 2 * chars + 64L * errorCount();
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
