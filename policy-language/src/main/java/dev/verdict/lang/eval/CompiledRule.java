package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;

/** A permit or forbid, planned: its roles resolved to plain names and derived role ids. */
final class CompiledRule {
  static final int NOT_APPLICABLE = 0;
  static final int APPLIES = 1;
  /** A condition or derived role errored: a forbid then applies, a permit does not. */
  static final int ERRORED = 2;

  final String id;
  final int order;
  final boolean forbid;
  final Span span;
  final String[] roles;
  /** The role names as values, to look up in {@code principal.roles} without converting it. */
  final Value.Str[] roleValues;
  final int[] derivedRoles;
  final Node[] conditions;
  final boolean[] when;
  /** Shown in traces: see {@link Trace.Step#annotations()}. */
  final java.util.Map<String, String> annotations;

  CompiledRule(String id, int order, boolean forbid, Span span, String[] roles, int[] derivedRoles,
      Node[] conditions, boolean[] when) {
    this(id, order, forbid, span, roles, derivedRoles, conditions, when, java.util.Map.of());
  }

  CompiledRule(String id, int order, boolean forbid, Span span, String[] roles, int[] derivedRoles,
      Node[] conditions, boolean[] when, java.util.Map<String, String> annotations) {
    this.annotations = annotations;
    this.id = id;
    this.order = order;
    this.forbid = forbid;
    this.span = span;
    this.roles = roles;
    this.roleValues = new Value.Str[roles.length];
    for (int i = 0; i < roles.length; i++) {
      roleValues[i] = new Value.Str(roles[i]);
    }
    this.derivedRoles = derivedRoles;
    this.conditions = conditions;
    this.when = when;
  }

  /**
   * The decision of this rule alone, without errors, trace or masks, for the set of version
   * {@code version}: the same value whenever the rule decides by itself, so made once. A rule may
   * serve two sets (links added at run time share the set's own rules), so it is remade when
   * the version differs. Racing threads may each make one; any of them is the same value.
   */
  Decision alone(String version) {
    Decision d = alone;
    if (d == null || d.policyVersion() != version) {
      d = Decision.masked(forbid ? Decision.Outcome.DENY : Decision.Outcome.ALLOW, java.util.List.of(id),
          java.util.List.of(), dev.verdict.lang.mask.ReadMask.empty(), dev.verdict.lang.mask.WriteMask.empty(),
          java.util.Optional.empty(), version);
      alone = d;
    }
    return d;
  }

  /** See {@link #alone}: immutable, so a racy publication shows a whole value or none. */
  private Decision alone;

  String kind() {
    return forbid ? "forbid" : "permit";
  }

  /** Does the principal hold one of the rule's roles? APPLIES, NOT_APPLICABLE or ERRORED. */
  int roles(Env env) {
    if (roles.length == 0) {
      return APPLIES;
    }
    java.util.Set<Value> plain = env.roles();
    if (!plain.isEmpty()) {
      for (Value.Str r : roleValues) {
        if (plain.contains(r)) {
          return APPLIES;
        }
      }
    }
    boolean errored = false;
    for (int id : derivedRoles) {
      byte state = env.derivedRole(id);
      if (state == 1) {
        return APPLIES;
      }
      errored |= state == 3;
    }
    return errored ? ERRORED : NOT_APPLICABLE;
  }

  /** Evaluates the rule; {@code roleHeld} when the index already established a role. */
  int evaluate(Env env, boolean roleHeld) {
    if (!roleHeld) {
      int r = roles(env);
      if (r == NOT_APPLICABLE) {
        if (env.trace != null) {
          env.trace.add(kind(), id, span, annotations, Trace.Status.ROLE_NOT_HELD,
              "the principal holds none of " + String.join(", ", roles));
        }
        return NOT_APPLICABLE;
      }
      if (r == ERRORED) {
        if (env.trace != null) {
          env.trace.add(kind(), id, span, annotations, Trace.Status.ERROR,
              "a derived role of " + String.join(", ", roles) + " could not be evaluated"
                  + (forbid ? "; the forbid applies (fail closed)" : "; the permit does not apply"));
        }
        return ERRORED;
      }
    }
    for (int i = 0; i < conditions.length; i++) {
      Node c = conditions[i];
      boolean value;
      try {
        value = c.test(env);
      } catch (EvalException e) {
        env.error(new EvalError(id, e.span(), e.getMessage(), e.kind()));
        if (env.trace != null) {
          env.trace.add(kind(), id, span, annotations, Trace.Status.ERROR, e.getMessage()
              + (forbid ? "; the forbid applies (fail closed)" : "; the permit does not apply"));
        }
        return ERRORED;
      }
      if (value != when[i]) {
        if (env.trace != null) {
          env.trace.add(kind(), id, span, annotations, Trace.Status.CONDITION_FAILED,
              (when[i] ? "`when " : "`unless ") + c.text + "` was " + value);
        }
        return NOT_APPLICABLE;
      }
    }
    if (env.trace != null) {
      env.trace.add(kind(), id, span, annotations, Trace.Status.APPLIED,
          conditions.length == 0 ? "no conditions" : "all conditions held");
    }
    return APPLIES;
  }

  /** Whether an outcome makes the rule count toward the decision. */
  boolean counts(int outcome) {
    return outcome == APPLIES || (forbid && outcome == ERRORED);
  }
}
