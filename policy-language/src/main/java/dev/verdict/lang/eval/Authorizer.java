package dev.verdict.lang.eval;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.mask.ReadMask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides requests against a policy set: default deny, a forbid that applies wins, otherwise a
 * permit that applies allows; errors fail closed. Field masks are computed for allowed
 * decisions only. Stateless and thread-safe; rate budgets are applied by {@link RateLimiter}.
 */
public final class Authorizer {
  private Authorizer() {}

  public static Decision decide(PolicySet set, Request request) {
    return decide(set, request, false);
  }

  /** @param explain also return a trace of every rule considered */
  public static Decision decide(PolicySet set, Request request, boolean explain) {
    Env env = new Env(set, request, explain);
    PolicySet.ActionRules rules = set.rulesFor(request.resource().uid().type(), request.action());
    int[] hits = new int[Math.max(rules.forbids().all.length, rules.permits().all.length)];
    int n = explain ? rules.forbids().evaluateAll(env, hits) : rules.forbids().evaluate(env, hits);
    Decision.Outcome outcome;
    List<String> reasons;
    if (n > 0) {
      outcome = Decision.Outcome.DENY;
      reasons = ids(rules.forbids().all, hits, n);
      if (explain) {
        for (CompiledRule r : rules.permits().all) {
          env.trace.add(r.kind(), r.id, r.span, r.annotations, Trace.Status.SKIPPED, "a forbid applied, so permits do not matter");
        }
      }
    } else {
      n = explain ? rules.permits().evaluateAll(env, hits) : rules.permits().evaluate(env, hits);
      outcome = n > 0 ? Decision.Outcome.ALLOW : Decision.Outcome.DENY;
      reasons = n > 0 ? ids(rules.permits().all, hits, n) : List.of();
    }
    Map<String, FieldEffect> read = Map.of();
    Set<String> write = Set.of();
    if (outcome == Decision.Outcome.ALLOW) {
      CompiledFieldRule[] fields = set.fieldsFor(request.resource().uid().type());
      if (fields.length > 0) {
        Map<String, FieldEffect> r = new HashMap<>();
        Set<String> w = new HashSet<>();
        for (CompiledFieldRule f : fields) {
          if (f.applies(env)) {
            for (String path : f.paths) {
              if (f.write) {
                w.add(path);
              } else {
                r.merge(path, f.effect, ReadMask::stricter);
              }
            }
          }
        }
        read = r;
        write = w;
      }
    }
    List<EvalError> errors = env.errors == null ? List.of() : sorted(env.errors);
    return new Decision(outcome, reasons, errors, read, write, Optional.empty(),
        explain ? Optional.of(env.trace.build()) : Optional.empty(), set.version());
  }

  private static List<String> ids(CompiledRule[] all, int[] hits, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(all[hits[i]].id);
    }
    return out;
  }

  private static List<EvalError> sorted(List<EvalError> errors) {
    List<EvalError> out = new ArrayList<>(errors);
    out.sort(Comparator.comparing(EvalError::span).thenComparing(EvalError::ruleId));
    return out;
  }
}
