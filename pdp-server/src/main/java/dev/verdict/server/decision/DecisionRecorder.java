package dev.verdict.server.decision;

import dev.verdict.engine.DecisionEvent;
import dev.verdict.engine.DecisionListener;
import dev.verdict.engine.UnroutedEvent;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.Request;
import dev.verdict.server.log.DecisionLog;
import dev.verdict.server.log.DecisionRecord;
import dev.verdict.server.metrics.ServerMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every decision the engine takes in the metrics and, when enabled, the decision log:
 * no attribute values, tokens or keys, only what identifies the decision. The call that asked
 * ({@link CallInfo}) comes as the decision's attachment.
 */
public final class DecisionRecorder implements DecisionListener {
  private static final CallInfo UNKNOWN = new CallInfo("", "engine", "", "");

  private final DecisionLog log;
  private final ServerMetrics metrics;

  public DecisionRecorder(DecisionLog log, ServerMetrics metrics) {
    this.log = log;
    this.metrics = metrics;
  }

  @Override
  public void onDecision(DecisionEvent e) {
    Decision d = e.decision();
    Request r = e.request();
    metrics.decision(d.outcome().word(), r.resource().uid().type(), r.action(), e.intent(), e.nanos());
    metrics.refusal(d, r.action(), e.intent());
    metrics.evaluationErrors(d);
    RateDecision rate = d.rate().isPresent() ? d.rate().get() : null;
    if (rate != null && rate.unavailable().isPresent()) {
      metrics.budgetUnavailable(rate.unavailable().get());
    }
    if (log.enabled()) {
      // references only: the log's writer formats them, nothing is copied on the request's thread
      CallInfo call = e.attachment() instanceof CallInfo c ? c : UNKNOWN;
      log.offer(e.nowMillis(), call.decisionId(), call.requestId(), d.policyVersion(), call.caller(),
          call.endpoint(), r.principal().uid().type(), r.principal().uid().id(), r.resource().uid().type(),
          r.resource().uid().id(), r.action(), e.intent(), d.outcome().word(), d.reasons(), d.readMask(),
          d.writeDenied(), rate == null ? null : rate.limit(), rate != null && rate.allowed(),
          rate == null ? 0 : rate.remaining(),
          rate == null || rate.unavailable().isEmpty() ? null : rate.unavailable().get().word(),
          e.nanos() / 1_000, d.errors());
    }
  }

  @Override
  public void onUnrouted(UnroutedEvent e) {
    metrics.decision("deny", "", "", null, e.nanos());
    if (log.enabled()) {
      CallInfo call = e.attachment() instanceof CallInfo c ? c : UNKNOWN;
      log.offer(new DecisionRecord(e.nowMillis(), call.decisionId(), call.requestId(), e.version(), call.caller(),
          call.endpoint(), e.principal().uid().type(), e.principal().uid().id(), null, null, null, null, "deny",
          List.of(e.reason()), Map.of(), Set.of(), null, e.nanos() / 1_000));
    }
  }
}
