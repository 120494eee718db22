package dev.verdict.server.log;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One line of the decision log. It holds ids and outcomes only, never attribute values, so
 * nothing a policy marks sensitive (or any token or key) can reach the log.
 *
 * @param time epoch milliseconds
 * @param intent null when the request had none
 * @param rate null when no limit applied; else the limit name, whether it admitted, remaining
 * @param errors conditions that could not be evaluated and failed closed: code, rule, position,
 *     never the message (it may quote attribute values)
 */
public record DecisionRecord(long time, String decisionId, String requestId, String policyVersion, String caller,
    String endpoint, String principalType, String principalId, String resourceType, String resourceId, String action,
    String intent, String decision, List<String> reasons, Map<String, String> readMask, Set<String> writeDenied,
    Rate rate, long latencyMicros, List<EvalFailure> errors) {

  /** @param unavailable the {@code on unavailable} mode that decided, or null when the budget store answered */
  public record Rate(String limit, boolean allowed, long remaining, String unavailable) {
    public Rate(String limit, boolean allowed, long remaining) {
      this(limit, allowed, remaining, null);
    }
  }

  /** An evaluation error without its message: its code, the rule, and {@code file:line:col}. */
  public record EvalFailure(String code, String rule, String at) {
    public static EvalFailure of(dev.verdict.lang.eval.EvalError e) {
      return new EvalFailure(e.kind().code(), e.ruleId(), e.span().location());
    }
  }

  /** A record of a decision no evaluation error touched. */
  public DecisionRecord(long time, String decisionId, String requestId, String policyVersion, String caller,
      String endpoint, String principalType, String principalId, String resourceType, String resourceId,
      String action, String intent, String decision, List<String> reasons, Map<String, String> readMask,
      Set<String> writeDenied, Rate rate, long latencyMicros) {
    this(time, decisionId, requestId, policyVersion, caller, endpoint, principalType, principalId, resourceType,
        resourceId, action, intent, decision, reasons, readMask, writeDenied, rate, latencyMicros, List.of());
  }

  /**
   * About what the record holds on the heap, in bytes: the log's queue is bounded by this sum,
   * since ids and reasons come from callers and policies and their length is theirs to choose.
   */
  public long estimatedBytes() {
    long chars = length(decisionId) + length(requestId) + length(policyVersion) + length(caller) + length(endpoint)
        + length(principalType) + length(principalId) + length(resourceType) + length(resourceId) + length(action)
        + length(intent) + length(decision);
    for (String reason : reasons) {
      chars += length(reason) + 16;
    }
    for (Map.Entry<String, String> e : readMask.entrySet()) {
      chars += length(e.getKey()) + length(e.getValue()) + 32;
    }
    for (String path : writeDenied) {
      chars += length(path) + 16;
    }
    // the record, its lists and strings' headers; every character counted as two bytes
    return 256 + 2 * chars + 64L * errors.size();
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  public DecisionRecord {
    Objects.requireNonNull(decisionId, "decisionId is null");
    reasons = List.copyOf(reasons);
    readMask = Map.copyOf(readMask);
    writeDenied = Set.copyOf(writeDenied);
    errors = List.copyOf(errors);
  }
}
