package dev.verdict.lang.eval;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.mask.ReadMask;
import dev.verdict.lang.mask.WriteMask;
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
    return decide(set, request, explain, null);
  }

  /**
   * @param stored looks up entities the request does not carry, before the set's data files
   *     (an entity store), or null; it may throw, and the exception leaves this method
   */
  public static Decision decide(PolicySet set, Request request, boolean explain,
      java.util.function.Function<dev.verdict.lang.data.EntityUid, EntityData> stored) {
    return decide(set, request, explain, stored, null);
  }

  /**
   * @param memo a batch's derived roles, reused between its decisions on the same principal and
   *     resource (see {@link DerivedRoleMemo}), or null
   */
  public static Decision decide(PolicySet set, Request request, boolean explain,
      java.util.function.Function<dev.verdict.lang.data.EntityUid, EntityData> stored, DerivedRoleMemo memo) {
    return decide(set, request, request.context(), explain, stored, memo);
  }

  /**
   * @param context the context the decision reads instead of the request's own: the request's
   *     with the engine's {@code now} set, given beside it so that no stamped copy of the
   *     request is made per decision
   */
  public static Decision decide(PolicySet set, Request request, Map<String, Value> context, boolean explain,
      java.util.function.Function<dev.verdict.lang.data.EntityUid, EntityData> stored, DerivedRoleMemo memo) {
    Env env = new Env(set, request, context, explain, stored, memo);
    PolicySet.ActionRules rules = set.rulesFor(request.resource().uid().type(), request.action());
    int n = explain ? rules.forbids().evaluateAll(env) : rules.forbids().evaluate(env);
    if (n > 0) {
      if (explain) {
        CompiledRule[] permits = rules.permits().all;
        for (int i = 0; i < rules.permits().ownRules; i++) {
          CompiledRule r = permits[i];
          env.trace.add(r.kind(), r.id, r.span, r.annotations, Trace.Status.SKIPPED, "a forbid applied, so permits do not matter");
        }
      }
      return denied(set, env, rules.forbids().all, n);
    }
    n = explain ? rules.permits().evaluateAll(env) : rules.permits().evaluate(env);
    if (n == 0) {
      return denied(set, env, rules.permits().all, 0);
    }
    CompiledFieldRule[] fields = set.fieldsFor(request.resource().uid().type());
    // the rules' masks were parsed at compile time: merging them allocates nothing when none or one applies
    ReadMask read = ReadMask.empty();
    WriteMask write = WriteMask.empty();
    List<CompiledFieldRule> unparsed = null;
    String action = request.action();
    for (CompiledFieldRule f : fields) {
      if (f.covers(action) && f.applies(env)) {
        if (f.readMask == null) {
          unparsed = unparsed == null ? new ArrayList<>() : unparsed;
          unparsed.add(f);
        } else if (f.write) {
          write = write.merge(f.writeMask);
        } else {
          read = read.merge(f.readMask);
        }
      }
    }
    if (unparsed != null) {
      return unparsedMasks(Decision.Outcome.ALLOW, ids(rules.permits().all, env, n), env, read, write, unparsed,
          set.version());
    }
    CompiledRule[] permits = rules.permits().all;
    if (n == 1 && read == ReadMask.empty() && write == WriteMask.empty() && plain(env)) {
      return permits[env.hitAt(0)].alone(set.version());
    }
    return Decision.masked(Decision.Outcome.ALLOW, ids(permits, env, n), errors(env), read, write, trace(env),
        set.version());
  }

  /**
   * A denial by the {@code n} rules of {@code all} hit in {@code env} (none: the default deny). The
   * common ones, by one rule or none and without errors or trace, are the same value for every
   * request: made once per set and rule, not per decision.
   */
  private static Decision denied(PolicySet set, Env env, CompiledRule[] all, int n) {
    if (n <= 1 && plain(env)) {
      return n == 0 ? set.defaultDeny() : all[env.hitAt(0)].alone(set.version());
    }
    return Decision.masked(Decision.Outcome.DENY, n == 0 ? List.of() : ids(all, env, n), errors(env),
        ReadMask.empty(), WriteMask.empty(), trace(env), set.version());
  }

  /** No error and no trace: the decision is its outcome, reasons and masks alone. */
  private static boolean plain(Env env) {
    return env.errors == null && env.trace == null;
  }

  /** A rule whose paths make no valid mask applied: the maps as they are, parsed where a mask is used. */
  private static Decision unparsedMasks(Decision.Outcome outcome, List<String> reasons, Env env, ReadMask parsedRead,
      WriteMask parsedWrite, List<CompiledFieldRule> unparsed, String version) {
    Map<String, FieldEffect> read = new HashMap<>(parsedRead.effects());
    Set<String> write = new HashSet<>(parsedWrite.denied());
    for (CompiledFieldRule f : unparsed) {
      for (String path : f.paths) {
        if (f.write) {
          write.add(path);
        } else {
          read.merge(path, f.effect, ReadMask::stricter);
        }
      }
    }
    return new Decision(outcome, reasons, errors(env), read, write, Optional.empty(), trace(env), version);
  }

  /** The errors and trace once every rule and field rule was evaluated (field rules add to both). */
  private static List<EvalError> errors(Env env) {
    return env.errors == null ? List.of() : sorted(env.errors);
  }

  private static Optional<Trace> trace(Env env) {
    return env.trace != null ? Optional.of(env.trace.build()) : Optional.empty();
  }

  /** The ids of the rules hit, as the immutable list a decision keeps (one rule decides most). */
  private static List<String> ids(CompiledRule[] all, Env env, int n) {
    if (n == 1) {
      return List.of(all[env.hitAt(0)].id);
    }
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = all[env.hitAt(i)].id;
    }
    return List.of(out);
  }

  private static List<EvalError> sorted(List<EvalError> errors) {
    List<EvalError> out = new ArrayList<>(errors);
    out.sort(Comparator.comparing(EvalError::span).thenComparing(EvalError::ruleId));
    return out;
  }
}
