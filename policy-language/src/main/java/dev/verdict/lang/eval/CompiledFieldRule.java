package dev.verdict.lang.eval;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.source.Span;

/**
 * A field rule, planned. Each condition is a role list (held when the principal holds one of
 * the roles) or an expression; {@code when} asks that it holds, {@code unless} that it does
 * not; the effect applies when every condition is met (none: always), and only to the actions
 * of its block. An error applies it too: a mask that cannot be decided is kept (fail closed).
 */
final class CompiledFieldRule {
  /** One {@code when}/{@code unless}: a role list or an expression. */
  record Condition(CompiledRule roles, Node expr, boolean whenKind) {}

  final String id;
  final Span span;
  final boolean write;
  final String[] paths;
  final FieldEffect effect;
  final Condition[] conditions;
  /** The actions of the rule's block, groups expanded; null when the block names none (every action). */
  final java.util.Set<String> actions;
  /**
   * The rule's effect on its paths as a mask, parsed once here so that decisions merge masks
   * instead of parsing paths; null when the paths or the effect make no valid mask (then
   * decisions build their masks the slow way, and the error shows where a mask is used).
   */
  final dev.verdict.lang.mask.ReadMask readMask;
  final dev.verdict.lang.mask.WriteMask writeMask;
  /** Shown in traces: see {@link Trace.Step#annotations()}. */
  final java.util.Map<String, String> annotations;

  CompiledFieldRule(String id, Span span, boolean write, String[] paths, FieldEffect effect,
      Condition[] conditions, java.util.Set<String> actions, java.util.Map<String, String> annotations) {
    this.annotations = annotations;
    this.id = id;
    this.span = span;
    this.write = write;
    this.paths = paths;
    this.effect = effect;
    this.conditions = conditions;
    this.actions = actions;
    dev.verdict.lang.mask.ReadMask read = dev.verdict.lang.mask.ReadMask.empty();
    dev.verdict.lang.mask.WriteMask denied = dev.verdict.lang.mask.WriteMask.empty();
    try {
      if (write) {
        denied = dev.verdict.lang.mask.WriteMask.of(java.util.List.of(paths));
      } else {
        java.util.Map<String, FieldEffect> effects = new java.util.HashMap<>();
        for (String p : paths) {
          effects.merge(p, effect, dev.verdict.lang.mask.ReadMask::stricter);
        }
        read = dev.verdict.lang.mask.ReadMask.of(effects);
      }
    } catch (IllegalArgumentException e) {
      read = null;
      denied = null;
    }
    this.readMask = read;
    this.writeMask = denied;
  }

  /** Whether the rule's block covers {@code action}: a set lookup only for blocks with {@code on}. */
  boolean covers(String action) {
    return actions == null || actions.contains(action);
  }

  /** Whether the effect applies to this request (the action is covered). */
  boolean applies(Env env) {
    if (conditions.length == 0) {
      if (env.trace != null) {
        trace(env, Trace.Status.APPLIED, "unconditional `" + effect.text() + "`");
      }
      return true;
    }
    StringBuilder why = env.trace != null ? new StringBuilder() : null;
    for (Condition c : conditions) {
      boolean holds;
      if (c.roles() != null) {
        int r = c.roles().roles(env);
        if (r == CompiledRule.ERRORED) {
          env.error(new EvalError(id, span, "a role of this field rule could not be evaluated; the effect is kept",
              EvalError.Kind.ROLE_CONDITION));
          if (env.trace != null) {
            trace(env, Trace.Status.ERROR, "role could not be evaluated; `" + effect.text() + "` kept (fail closed)");
          }
          return true;
        }
        holds = r == CompiledRule.APPLIES;
      } else {
        try {
          holds = c.expr().test(env);
        } catch (EvalException e) {
          env.error(new EvalError(id, e.span(), e.getMessage(), e.kind()));
          if (env.trace != null) {
            trace(env, Trace.Status.ERROR, e.getMessage() + "; `" + effect.text() + "` kept (fail closed)");
          }
          return true;
        }
      }
      boolean met = holds == c.whenKind();
      // The explanation is text for people: built only when a trace was asked for, since a
      // decision evaluates every field rule of the resource type.
      if (why != null) {
        why.append(why.length() == 0 ? "" : "; ").append(c.roles() != null
            ? (holds ? "the principal holds one of " : "the principal holds none of ") + String.join(", ", c.roles().roles)
            : "`" + c.expr().text + "` was " + holds);
      }
      if (!met) {
        if (why != null) {
          trace(env, Trace.Status.CONDITION_FAILED, why + ": no `" + effect.text() + "`");
        }
        return false;
      }
    }
    if (why != null) {
      trace(env, Trace.Status.APPLIED, why + ": `" + effect.text() + "` applies");
    }
    return true;
  }

  private void trace(Env env, Trace.Status status, String detail) {
    if (env.trace != null) {
      env.trace.add("field", String.join(", ", paths), span, annotations, status, detail);
    }
  }
}
