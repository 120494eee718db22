package dev.verdict.lang.testing;

import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.Str;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.Engine;
import dev.verdict.engine.RequestRefused;
import dev.verdict.engine.Routes;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Constants;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.PolicySetInternals;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Trace;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import dev.verdict.lang.route.RouteMatch;
import dev.verdict.lang.route.RouteTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the {@code test} blocks of a policy set. Each {@code expect} and {@code repeat} line
 * gets a fresh budget store, and every test a fixed clock ({@code context.now} when the test sets it, else {@link #DEFAULT_NOW}), so
 * {@code repeat N expect last rate_limited} is deterministic. Every decision is explained,
 * which is what coverage is computed from.
 */
public final class TestRunner {
  /** The time tests run at unless their context sets {@code now}: 2024-01-01T12:00:00Z, a Monday. */
  public static final String DEFAULT_NOW = "2024-01-01T12:00:00Z";

  /** Budgets apply, as in production, and every step is traced for coverage. */
  private static final DecideOptions EXPLAINED = new DecideOptions(true, true, null);

  private final PolicySet set;
  private final ActivePolicy active;
  private final RouteTable routes;
  private final Set<String> applied = new HashSet<>();
  private final Set<String> routesHit = new HashSet<>();

  private TestRunner(PolicySet set) {
    this.set = set;
    this.active = ActivePolicy.of(set);
    this.routes = active.routes();
  }

  public static TestReport run(PolicySet set) {
    return run(set, t -> true);
  }

  /** Runs the selected tests only; coverage counts what those tests exercised. */
  public static TestReport run(PolicySet set, java.util.function.Predicate<Decl.TestDecl> selected) {
    TestRunner runner = new TestRunner(set);
    List<TestResult> results = new ArrayList<>();
    for (Decl.TestDecl t : PolicySetInternals.tests(set)) {
      if (selected.test(t)) {
        results.add(runner.runOne(t));
      }
    }
    return new TestReport(results, runner.coverage());
  }

  private TestResult runOne(Decl.TestDecl test) {
    long start = System.nanoTime();
    List<String> failures = new ArrayList<>();
    Request request;
    try {
      request = request(test);
    } catch (IllegalArgumentException e) {
      failures.add(e.getMessage());
      return new TestResult(test.name().value(), test.span(), failures, Optional.empty(), System.nanoTime() - start);
    }
    // The test's `now` (or the default) is the engine's clock, as a request's is for `verdict
    // eval`: a `now` that is not a time is refused the same way.
    Value givenNow = request.context().get(ContextKeys.NOW);
    Long now = givenNow == null ? timeOf(new Value.Str(DEFAULT_NOW)) : timeOf(givenNow);
    if (now == null) {
      failures.add("`context.now` must be an RFC 3339 time such as \"" + DEFAULT_NOW + "\"");
      return new TestResult(test.name().value(), test.span(), failures, Optional.empty(), System.nanoTime() - start);
    }
    Clock clock = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
    Decision last = null;
    for (TestItem item : test.items()) {
      // Each expectation line asks its own question, so each starts from fresh budgets:
      // `repeat 6 expect last rate_limited` means the sixth request, whatever lines came before.
      Engine engine = Engine.builder(active).clock(clock).budgets(new InMemoryBudgetStore()).build();
      if (item instanceof TestItem.Expect e) {
        last = decide(engine, request, failures);
        if (last == null) {
          break;
        }
        check(e.expectation(), last, "", failures);
      } else if (item instanceof TestItem.Repeat r) {
        for (int i = 1; i <= r.count(); i++) {
          last = decide(engine, request, failures);
          if (last == null) {
            break;
          }
          if (r.lastOnly() && i < r.count()) {
            continue; // only the last decision must match; the earlier ones are not judged
          }
          int before = failures.size();
          check(r.expectation(), last, "request " + i + " of " + r.count() + ": ", failures);
          if (failures.size() > before) {
            break;
          }
        }
      }
    }
    return new TestResult(test.name().value(), test.span(), failures, Optional.ofNullable(last), System.nanoTime() - start);
  }

  /** The decision, explained (coverage is read from its trace); null, and a failure, when refused. */
  private Decision decide(Engine engine, Request request, List<String> failures) {
    Decision d;
    try {
      d = engine.decide(active, request, EXPLAINED);
    } catch (RequestRefused e) {
      failures.add("the request is invalid at " + e.path() + ": " + e.getMessage());
      return null;
    }
    d.trace().ifPresent(t -> {
      for (Trace.Step s : t.steps()) {
        if (s.status() == Trace.Status.APPLIED) {
          applied.add(s.kind() + "@" + s.span().location());
        }
      }
    });
    return d;
  }

  private void check(TestItem.Expectation exp, Decision d, String prefix, List<String> failures) {
    Decision.Outcome want = switch (exp.outcome()) {
      case ALLOW -> Decision.Outcome.ALLOW;
      case DENY -> Decision.Outcome.DENY;
      case RATE_LIMITED -> Decision.Outcome.RATE_LIMITED;
    };
    if (d.outcome() != want) {
      failures.add(prefix + "expected " + exp.outcome().word() + ", got " + describe(d));
      return;
    }
    for (Str id : exp.because()) {
      if (!d.reasons().contains(id.value())) {
        failures.add(prefix + "expected rule `" + id.value() + "` among the reasons, got " + d.reasons());
      }
    }
    for (TestItem.FieldExpect fe : exp.fields()) {
      if (fe.access() == PolicyMember.Access.READ) {
        Map<String, String> want2 = new TreeMap<>();
        fe.entries().forEach(e -> want2.put(e.path().text(), e.effect().text()));
        Map<String, String> got = d.readMaskText();
        if (!want2.equals(got)) {
          failures.add(prefix + "expected read fields " + fields(want2) + ", got " + fields(got));
        }
      } else {
        Map<String, String> want2 = new TreeMap<>();
        fe.entries().forEach(e -> want2.put(e.path().text(), "deny"));
        Map<String, String> got = new TreeMap<>();
        d.writeDenied().forEach(p -> got.put(p, "deny"));
        if (!want2.equals(got)) {
          failures.add(prefix + "expected write fields " + fields(want2) + ", got " + fields(got));
        }
      }
    }
  }

  /** A mask as a test writes it: {@code { balance: redact, holder.ssn: hide }}. */
  private static String fields(Map<String, String> mask) {
    if (mask.isEmpty()) {
      return "{ }";
    }
    StringBuilder b = new StringBuilder("{ ");
    mask.forEach((path, effect) -> b.append(b.length() > 2 ? ", " : "").append(path).append(": ").append(effect));
    return b.append(" }").toString();
  }

  static String describe(Decision d) {
    StringBuilder b = new StringBuilder(d.outcome().word());
    if (!d.reasons().isEmpty()) {
      b.append(" by ").append(String.join(", ", d.reasons()));
    } else if (d.outcome() == Decision.Outcome.DENY) {
      b.append(" (no permit applied)");
    }
    d.rate().filter(r -> !r.allowed()).ifPresent(r -> b.append(" (limit `").append(r.limit())
        .append("`, retry after ").append(Values.formatDuration(r.retryAfter().toMillis())).append(")"));
    if (!d.errors().isEmpty()) {
      b.append("; errors: ").append(d.errors());
    }
    return b.toString();
  }

  // ---- building the request

  private Request request(Decl.TestDecl test) {
    EntityData principal = null;
    EntityData resource = null;
    String action = null;
    Map<String, Value> context = new LinkedHashMap<>();
    List<EntityData> entities = new ArrayList<>();
    TestItem.RequestSpec http = null;
    for (TestItem item : test.items()) {
      if (item instanceof TestItem.EntitySpec s) {
        switch (s.role()) {
          case PRINCIPAL -> principal = entity(s, "User");
          case RESOURCE -> resource = entity(s, null);
          default -> entities.add(entity(s, null));
        }
      } else if (item instanceof TestItem.ContextSpec c) {
        context.putAll(record(c.attrs()));
      } else if (item instanceof TestItem.ActionSpec a) {
        action = a.action().name();
      } else if (item instanceof TestItem.RequestSpec r) {
        http = r;
      }
    }
    if (http != null) {
      RouteMatch m = routes.match(http.method().name(), http.path().value());
      if (!(m instanceof RouteMatch.Matched matched)) {
        throw new IllegalArgumentException("`request " + http.method().name() + " " + http.path().value()
            + "` matches no route: " + ((RouteMatch.Unmatched) m).message());
      }
      routesHit.add(matched.route().span().location());
      EntityUid uid = new EntityUid(matched.resourceType(), matched.resourceId().orElse(""));
      if (resource != null && !resource.uid().type().equals(uid.type())) {
        throw new IllegalArgumentException("the test's resource is a `" + resource.uid().type()
            + "` but the route gives a `" + uid.type() + "`");
      }
      resource = new EntityData(uid, resource == null ? Map.of() : resource.attrs(),
          resource == null ? List.of() : resource.parents(), resource != null && resource.parentsGiven());
      action = matched.action();
      // the route's intent, parameters, method and path, exactly as a gateway check gets them
      Map<String, Value> routed = Routes.context(matched, context, http.method().name(), http.path().value());
      context.clear();
      context.putAll(routed);
      if (principal == null && matched.route().isPublic()) {
        principal = Routes.ANONYMOUS; // as a gateway decides a request without a token
      }
    }
    if (principal == null) {
      throw new IllegalArgumentException("the test has no principal");
    }
    if (resource == null) {
      throw new IllegalArgumentException("the test has no resource (or `request`)");
    }
    if (action == null) {
      throw new IllegalArgumentException("the test has no action (or `request`)");
    }
    context.putIfAbsent(ContextKeys.NOW, new Value.Str(DEFAULT_NOW));
    return typed(new Request(principal, resource, action, context, entities));
  }

  /** A Time, or a String holding one, in epoch milliseconds; null otherwise. */
  private static Long timeOf(Value v) {
    if (v instanceof Value.Time t) {
      return t.epochMillis();
    }
    return v instanceof Value.Str s ? Values.parseTime(s.value()) : null;
  }

  /** The test's literals read as the set declares them, exactly as request JSON is. */
  private Request typed(Request r) {
    ValueTypes types = set.types();
    try {
      List<EntityData> entities = new ArrayList<>();
      for (EntityData e : r.entities()) {
        entities.add(types.entity(e, "entity " + e.uid()));
      }
      return new Request(types.entity(r.principal(), "principal"), types.entity(r.resource(), "resource"),
          r.action(), types.context(r.context(), "context"), entities);
    } catch (Values.JsonValueException e) {
      throw new IllegalArgumentException("`" + e.path() + "` " + e.getMessage());
    }
  }

  private EntityData entity(TestItem.EntitySpec s, String defaultType) {
    Map<String, Value> attrs = s.attrs().map(this::record).orElse(Map.of());
    String type = s.type().map(t -> t.name()).orElse(defaultType);
    String id = s.id().map(Str::value).orElse(null);
    Map<String, Value> rest = new LinkedHashMap<>(attrs);
    if (id == null && rest.get("id") instanceof Value.Str sid) {
      id = sid.value();
    }
    rest.remove("id");
    if (type == null || id == null) {
      throw new IllegalArgumentException("`" + s.role().word() + "` needs a type and an id, e.g. `"
          + s.role().word() + " Account \"a1\"`");
    }
    List<EntityUid> parents = s.parents().stream().map(p -> new EntityUid(p.type().name(), p.id().value())).toList();
    return new EntityData(new EntityUid(type, id), rest, parents, !parents.isEmpty());
  }

  private Map<String, Value> record(Expr.RecordLit r) {
    Map<String, Value> out = new LinkedHashMap<>();
    for (Expr.Entry e : r.entries()) {
      Value v = Constants.valueOf(e.value());
      if (v == null) {
        throw new IllegalArgumentException("test value `" + e.key().name() + "` must be a literal");
      }
      out.put(e.key().name(), v);
    }
    return out;
  }

  // ---- coverage

  private Coverage coverage() {
    List<Coverage.Item> items = new ArrayList<>();
    for (PolicyFile f : PolicySetInternals.files(set)) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.PolicyDecl p) {
          for (PolicyMember m : p.members()) {
            if (m instanceof PolicyMember.Rule r) {
              String kind = r.effect().word();
              items.add(new Coverage.Item(kind, r.id(p.name().name()), r.span().location(),
                  applied.contains(kind + "@" + r.span().location())));
            } else if (m instanceof PolicyMember.FieldsBlock fb) {
              for (PolicyMember.FieldRule fr : fb.rules()) {
                String paths = String.join(", ", fr.paths().stream().map(x -> x.text()).toList());
                items.add(new Coverage.Item("field", paths + ": " + fr.effect().text(), fr.span().location(),
                    applied.contains("field@" + fr.span().location())));
              }
            }
          }
        } else if (d instanceof Decl.RouteDecl r) {
          items.add(new Coverage.Item("route", r.method().name() + " " + r.template().value(), r.span().location(),
              routesHit.contains(r.span().location())));
        } else if (d instanceof Decl.LimitDecl l) {
          items.add(new Coverage.Item("limit", l.name().name(), l.span().location(),
              applied.contains("limit@" + l.span().location())));
        }
      }
    }
    return new Coverage(items);
  }
}
