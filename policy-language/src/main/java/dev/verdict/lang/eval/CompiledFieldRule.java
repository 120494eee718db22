package dev.verdict.lang.eval;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.source.Span;

/**
 * A field rule, planned. Its condition is a role list (held when the principal holds one of
 * the roles) or an expression; {@code when} applies the effect when the condition holds,
 * {@code unless} when it does not; no condition applies it always. An error applies it too:
 * a mask that cannot be decided is kept (fail closed).
 */
final class CompiledFieldRule {
  final String id;
  final Span span;
  final boolean write;
  final String[] paths;
  final FieldEffect effect;
  /** Null when the rule has no condition. */
  final CompiledRule roleCondition;
  final Node exprCondition;
  final boolean whenKind;
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
      CompiledRule roleCondition, Node exprCondition, boolean whenKind, java.util.Map<String, String> annotations) {
    this.annotations = annotations;
    this.id = id;
    this.span = span;
    this.write = write;
    this.paths = paths;
    this.effect = effect;
    this.roleCondition = roleCondition;
    this.exprCondition = exprCondition;
    this.whenKind = whenKind;
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

  /** Whether the effect applies to this request. */
  boolean applies(Env env) {
    boolean holds;
    if (roleCondition != null) {
      int r = roleCondition.roles(env);
      if (r == CompiledRule.ERRORED) {
        env.error(new EvalError(id, span, "a role of this field rule could not be evaluated; the effect is kept",
            EvalError.Kind.ROLE_CONDITION));
        if (env.trace != null) {
          trace(env, Trace.Status.ERROR, "role could not be evaluated; `" + effect.text() + "` kept (fail closed)");
        }
        return true;
      }
      holds = r == CompiledRule.APPLIES;
    } else if (exprCondition != null) {
      try {
        holds = exprCondition.test(env);
      } catch (EvalException e) {
        env.error(new EvalError(id, e.span(), e.getMessage(), e.kind()));
        if (env.trace != null) {
          trace(env, Trace.Status.ERROR, e.getMessage() + "; `" + effect.text() + "` kept (fail closed)");
        }
        return true;
      }
    } else {
      if (env.trace != null) {
        trace(env, Trace.Status.APPLIED, "unconditional `" + effect.text() + "`");
      }
      return true;
    }
    boolean applies = holds == whenKind;
    // The explanation is text for people: built only when a trace was asked for, since a
    // decision evaluates every field rule of the resource type.
    if (env.trace != null) {
      String why = roleCondition != null
          ? (holds ? "the principal holds one of " : "the principal holds none of ") + String.join(", ", roleCondition.roles)
          : "`" + exprCondition.text + "` was " + holds;
      trace(env, applies ? Trace.Status.APPLIED : Trace.Status.CONDITION_FAILED,
          why + (applies ? ": `" + effect.text() + "` applies" : ": no `" + effect.text() + "`"));
    }
    return applies;
  }

  private void trace(Env env, Trace.Status status, String detail) {
    if (env.trace != null) {
      env.trace.add("field", String.join(", ", paths), span, annotations, status, detail);
    }
  }
}
