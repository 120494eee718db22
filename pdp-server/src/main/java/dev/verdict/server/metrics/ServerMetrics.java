package dev.verdict.server.metrics;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.eval.PolicySet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's own series. Label values come from callers, so each label only takes values the
 * loaded policy set knows (its resource types, actions and intents); anything else is
 * {@code other}, which keeps the number of series bounded whatever callers send.
 */
public final class ServerMetrics {
  static final String OTHER = "other";
  static final String NONE = "none";

  private final PrometheusMeterRegistry registry;
  private final Timer latency;
  private final Counter reloadsOk;
  private final Counter reloadsFailed;
  private final MultiGauge policyInfo;
  private final ConcurrentHashMap<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RefusalKey, Counter> refusals = new ConcurrentHashMap<>();
  private volatile Known known = new Known(Set.of(), Set.of(), Set.of(), java.util.Map.of());

  /** A counter's labels; cheaper to hash than one concatenated string, whose hash is never cached. */
  private record DecisionKey(String outcome, String type, String action, String intent) {}

  private record RefusalKey(String outcome, String policy, String action, String intent) {}

  /** Label values the set can produce; {@code policyOfRule} maps rule ids to their policy's name. */
  private record Known(Set<String> types, Set<String> actions, Set<String> intents,
      java.util.Map<String, String> policyOfRule) {}

  public ServerMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.latency = Timer.builder("verdict.decision")
        .description("Time to take one decision, rate budget included")
        // A dozen fixed buckets: enough for p50/p99 of microsecond decisions, cheap to scrape.
        .serviceLevelObjectives(micros(10), micros(25), micros(50), micros(100), micros(250), micros(500),
            micros(1_000), micros(2_500), micros(5_000), micros(10_000), micros(50_000), micros(250_000))
        .register(registry);
    this.reloadsOk = reloads("ok");
    this.reloadsFailed = reloads("failed");
    this.policyInfo = MultiGauge.builder("verdict.policy.info")
        .description("The policy version being served (value 1)")
        .register(registry);
  }

  private static Duration micros(long n) {
    return Duration.ofNanos(n * 1_000);
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private Counter reloads(String result) {
    return Counter.builder("verdict.policy.reloads").description("Policy loads by result")
        .tag("result", result).register(registry);
  }

  /** Counts decision-log records dropped because its queue was full. */
  public void decisionLogDropped(Supplier<Long> dropped) {
    FunctionCounter.builder("verdict.decision.log.dropped", dropped, s -> s.get().doubleValue())
        .description("Decision log records dropped because the queue was full")
        .register(registry);
  }

  public void decision(String outcome, String type, String action, String intent, long nanos) {
    Known k = known;
    String t = k.types.contains(type) ? type : OTHER;
    String a = k.actions.contains(action) ? action : OTHER;
    String i = intent == null ? NONE : k.intents.contains(intent) ? intent : OTHER;
    DecisionKey key = new DecisionKey(outcome, t, a, i);
    Counter c = decisions.get(key);
    if (c == null) {
      c = decisions.computeIfAbsent(key, x -> Counter.builder("verdict.decisions")
          .description("Decisions by outcome, resource type, action and intent")
          .tags("outcome", outcome, "resource_type", t, "action", a, "intent", i)
          .register(registry));
    }
    c.increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Counts a refusal by what refused it: the policy of the first deciding forbid, {@code
   * default} for a deny no rule decided (no permit applied), or {@code limit:NAME} for a rate
   * limit. Labels stay bounded by the set's own names.
   */
  public void refusal(dev.verdict.lang.eval.Decision d, String action, String intent) {
    if (d.allowed()) {
      return;
    }
    Known k = known;
    String policy;
    if (d.outcome() == dev.verdict.lang.eval.Decision.Outcome.RATE_LIMITED) {
      policy = d.rate().map(r -> "limit:" + r.limit()).orElse(OTHER);
    } else if (d.reasons().isEmpty()) {
      policy = "default";
    } else {
      policy = k.policyOfRule.getOrDefault(d.reasons().get(0), OTHER);
    }
    String a = k.actions.contains(action) ? action : OTHER;
    String i = intent == null ? NONE : k.intents.contains(intent) ? intent : OTHER;
    RefusalKey key = new RefusalKey(d.outcome().word(), policy, a, i);
    refusals.computeIfAbsent(key, x -> Counter.builder("verdict.refusals")
        .description("Denials and rate limits by the policy or limit that refused, action and intent")
        .tags("outcome", key.outcome(), "policy", key.policy(), "action", a, "intent", i)
        .register(registry)).increment();
  }

  public void reload(boolean ok) {
    (ok ? reloadsOk : reloadsFailed).increment();
  }

  /** The set now served: its version for the info gauge, its names for the labels. */
  public void serving(PolicySet set) {
    Set<String> types = new HashSet<>(set.resourceTypes());
    Set<String> actions = new HashSet<>();
    for (String t : types) {
      actions.addAll(set.actions(t));
    }
    Set<String> intents = new HashSet<>();
    java.util.Map<String, String> policyOfRule = new java.util.HashMap<>();
    for (PolicyFile f : set.files()) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.PolicyDecl p) {
          for (var rule : p.rules()) {
            policyOfRule.put(rule.id(p.name().name()), p.name().name());
          }
        }
        if (d instanceof Decl.LimitDecl l) {
          intents.add(l.intent().value());
        } else if (d instanceof Decl.RouteDecl r && r.intent().isPresent()) {
          intents.add(r.intent().get().value());
        }
      }
    }
    known = new Known(Set.copyOf(types), Set.copyOf(actions), Set.copyOf(intents), java.util.Map.copyOf(policyOfRule));
    policyInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", set.version()), 1)), true);
  }

  public String scrape() {
    return registry.scrape();
  }
}
