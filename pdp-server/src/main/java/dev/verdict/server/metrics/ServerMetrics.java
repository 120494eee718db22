package dev.verdict.server.metrics;

import dev.verdict.lang.eval.Catalog;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.PolicySet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The server's own series. Label values come from callers, so each label only takes values the
 * loaded policy set knows (its resource types, actions and intents); anything else is
 * {@code other}, which keeps the number of series bounded whatever callers send.
 */
public final class ServerMetrics {
  static final String OTHER = "other";
  static final String NONE = "none";

  private static final List<HttpMethod> HTTP_METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.CONNECT);

  private final PrometheusMeterRegistry registry;
  /** Request counters by method (the nine standard ones, then {@code other}) times 600 status codes. */
  private final AtomicReferenceArray<Counter> httpRequests = new AtomicReferenceArray<>(10 * 600);
  private final Timer latency;
  private final Counter reloadsOk;
  private final Counter reloadsFailed;
  private final MultiGauge policyInfo;
  private final Counter logDropped;
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final Map<String, Counter> connectionsClosed = new HashMap<>();
  /** By outcome, resource type, action and intent. */
  private final LabelledCounters decisions;
  /** By outcome, policy (or limit), action and intent. */
  private final LabelledCounters refusals;
  private final ConcurrentHashMap<ErrorKey, Counter> evalErrors = new ConcurrentHashMap<>();
  private final Map<dev.verdict.lang.rate.FailMode, Counter> unavailable = new ConcurrentHashMap<>();
  private volatile Known known = new Known(Set.of(), Set.of(), Set.of(), java.util.Map.of());

  private record ErrorKey(String code, String policy) {}

  /** Label values the set can produce; {@code policyOfRule} maps rule ids to their policy's name. */
  private record Known(Set<String> types, Set<String> actions, Set<String> intents,
      java.util.Map<String, String> policyOfRule) {}

  public ServerMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.decisions = new LabelledCounters((outcome, type, action, intent) -> Counter.builder("verdict.decisions")
        .description("Decisions by outcome, resource type, action and intent")
        .tags("outcome", outcome, "resource_type", type, "action", action, "intent", intent)
        .register(registry));
    this.refusals = new LabelledCounters((outcome, policy, action, intent) -> Counter.builder("verdict.refusals")
        .description("Denials and rate limits by the policy or limit that refused, action and intent")
        .tags("outcome", outcome, "policy", policy, "action", action, "intent", intent)
        .register(registry));
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
    this.logDropped = Counter.builder("verdict.decision.log.dropped")
        .description("Decision log records dropped because the queue was full")
        .register(registry);
    Gauge.builder("verdict.http.connections.open", openConnections, AtomicInteger::doubleValue)
        .description("Open HTTP connections, over all event loops").strongReference(true)
        .register(registry);
    Gauge.builder("verdict.http.requests.active", activeRequests, AtomicInteger::doubleValue)
        .description("Requests being answered, over all event loops").strongReference(true)
        .register(registry);
    for (String reason : List.of("limit", "header_timeout", "body_timeout")) {
      connectionsClosed.put(reason, Counter.builder("verdict.http.connections.closed")
          .description("Connections the server closed: over the connection limit, or too slow to send headers or body")
          .tag("reason", reason).register(registry));
    }
  }

  private static Duration micros(long n) {
    return Duration.ofNanos(n * 1_000);
  }

  /**
   * The registry, without Vert.x's open-connections and active-requests gauges: each server
   * instance (one per event loop) registered its own under the same name, so all but the first
   * were refused with a warning on the first request and the value counted one instance only.
   * {@code verdict_http_connections_open} and {@code verdict_http_requests_active} count them all.
   */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    r.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("vertx.http.server.active.connections")
        || id.getName().equals("vertx.http.server.active.requests")));
    return r;
  }

  /**
   * The Vert.x metric options: JVM and pool series, without Vert.x's HTTP server series (see
   * {@link #httpRequest}, whose method label takes a closed set of values).
   */
  public static MicrometerMetricsOptions vertxOptions() {
    Set<Label> labels = EnumSet.copyOf(new MicrometerMetricsOptions().getLabels());
    labels.remove(Label.HTTP_METHOD);
    // Vert.x's HTTP server metrics look up four meters by tags on every request (8 % of a
    // decision's server CPU, docs/benchmarks.md); requestsTotal below counts the one series
    // we document, from a table of counters found by index.
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true).setLabels(labels)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
  }

  /**
   * Counts one answered request in {@code vertx_http_server_requests_total{code, method}} (the
   * name Vert.x's own metrics gave it). The counters sit in a table indexed by method and status,
   * registered on first use: no tags are built or looked up per request.
   */
  public void httpRequest(HttpMethod method, int status) {
    int m = methodIndex(method);
    int code = status >= 100 && status < 600 ? status : 0;
    int slot = m * 600 + code;
    Counter c = httpRequests.get(slot);
    if (c == null) {
      // registering twice returns the same counter, so a race here only costs a look-up
      c = Counter.builder("vertx.http.server.requests")
          .description("Number of processed requests")
          .tags("code", code == 0 ? OTHER : Integer.toString(code), "method", m < HTTP_METHODS.size()
              ? HTTP_METHODS.get(m).name() : OTHER)
          .register(registry);
      httpRequests.set(slot, c);
    }
    c.increment();
  }

  private static int methodIndex(HttpMethod method) {
    for (int i = 0; i < HTTP_METHODS.size(); i++) {
      if (HTTP_METHODS.get(i) == method) {
        return i;
      }
    }
    String name = method.name();
    for (int i = 0; i < HTTP_METHODS.size(); i++) {
      if (HTTP_METHODS.get(i).name().equals(name)) {
        return i;
      }
    }
    return HTTP_METHODS.size();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private Counter reloads(String result) {
    return Counter.builder("verdict.policy.reloads").description("Policy loads by result")
        .tag("result", result).register(registry);
  }

  /**
   * Counts one decision-log record dropped because its queue was full. An incremented counter:
   * a function counter holds its source weakly and froze at its last value once that was
   * collected.
   */
  public void decisionLogDropped() {
    logDropped.increment();
  }

  /** Counts an accepted connection; returns how many are open now, this one included. */
  public int connectionOpened() {
    return openConnections.incrementAndGet();
  }

  /** Counts a request being answered until {@link #requestEnded}. */
  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestEnded() {
    activeRequests.decrementAndGet();
  }

  public void connectionClosed() {
    openConnections.decrementAndGet();
  }

  /** Counts a connection the server closed: {@code limit}, {@code header_timeout} or {@code body_timeout}. */
  public void connectionCut(String reason) {
    Counter c = connectionsClosed.get(reason);
    if (c != null) {
      c.increment();
    }
  }

  /** Publishes the bytes of request bodies being received now. */
  /** {@code verdict_transport_info{transport}} (value 1): what the event loops run on, once known at start. */
  public void transport(String name) {
    Gauge.builder("verdict.transport.info", () -> 1).tag("transport", name)
        .description("The kernel interface the event loops use: io_uring or nio (value 1)").register(registry);
  }

  public void bodiesInFlight(AtomicLong bytes) {
    Gauge.builder("verdict.http.bodies.in.flight", bytes, AtomicLong::doubleValue).baseUnit("bytes")
        .description("Declared bytes of request bodies being received now").strongReference(true)
        .register(registry);
  }

  /**
   * Counts a decision whose budget store could not answer, by the {@code on unavailable} mode
   * that decided it ({@code deny}, {@code allow} or {@code local}: three series at most).
   */
  public void budgetUnavailable(dev.verdict.lang.rate.FailMode mode) {
    unavailable.computeIfAbsent(mode, m -> Counter.builder("verdict.rate.unavailable")
        .description("Rate limits decided by their `on unavailable` mode because the budget store did not answer")
        .tag("mode", m.word()).register(registry)).increment();
  }

  public void decision(String outcome, String type, String action, String intent, long nanos) {
    Known k = known;
    String t = k.types.contains(type) ? type : OTHER;
    String a = k.actions.contains(action) ? action : OTHER;
    String i = intent == null ? NONE : k.intents.contains(intent) ? intent : OTHER;
    decisions.get(outcome, t, a, i).increment();
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
    refusals.get(d.outcome().word(), policy, a, i).increment();
  }

  /**
   * Counts the evaluation errors of a decision by code and by the policy of the rule that
   * failed ({@code limits} for a limit, {@code roles} for a role definition): both labels come
   * from closed sets, the codes of {@link EvalError.Kind} and the loaded set's policy names.
   */
  public void evaluationErrors(dev.verdict.lang.eval.Decision d) {
    if (d.errors().isEmpty()) {
      return;
    }
    Known k = known;
    for (EvalError e : d.errors()) {
      String rule = e.ruleId();
      String policy = rule.startsWith("limit ") ? "limits" : rule.startsWith("role ") ? "roles"
          : k.policyOfRule.getOrDefault(rule, OTHER);
      ErrorKey key = new ErrorKey(e.kind().code(), policy);
      Counter c = evalErrors.get(key);
      if (c == null) {
        c = evalErrors.computeIfAbsent(key, x -> Counter.builder("verdict.evaluation.errors")
            .description("Conditions that could not be evaluated and failed closed, by code and policy")
            .tags("code", key.code(), "policy", key.policy())
            .register(registry));
      }
      c.increment();
    }
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
    Catalog catalog = set.catalog();
    catalog.rules().forEach(rule -> policyOfRule.put(rule.id(), rule.policy()));
    catalog.limits().forEach(limit -> intents.add(limit.intent()));
    catalog.routes().forEach(route -> route.intent().ifPresent(intents::add));
    known = new Known(Set.copyOf(types), Set.copyOf(actions), Set.copyOf(intents), java.util.Map.copyOf(policyOfRule));
    policyInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", set.version()), 1)), true);
  }

  public String scrape() {
    return registry.scrape();
  }
}
