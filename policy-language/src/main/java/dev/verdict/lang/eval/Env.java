package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything one decision evaluates against; created once per decision, never shared. */
final class Env {
  final Request request;
  final EntityView entities;
  final EntityUid principal;
  final EntityUid resource;
  final Value.Str action;
  final Map<String, Value> context;
  private final PolicySet set;
  private Value.Rec contextRecord;
  private Set<Value> roles;
  /** Per derived role: 0 not yet evaluated, 1 holds, 2 does not hold, 3 errored. */
  private final byte[] derived;
  List<EvalError> errors;
  final TraceBuilder trace;

  Env(PolicySet set, Request request, boolean explain) {
    this(set, request, explain, null);
  }

  /** @param stored the entity store's lookup (entities neither the request nor the data files carry), or null */
  Env(PolicySet set, Request request, boolean explain, java.util.function.Function<EntityUid, EntityData> stored) {
    this.set = set;
    this.request = request;
    this.entities = new EntityView(set.graph(), stored, request);
    this.principal = request.principal().uid();
    this.resource = request.resource().uid();
    this.action = new Value.Str(request.action());
    this.context = request.context();
    this.derived = new byte[set.derivedRoleCount()];
    this.trace = explain ? new TraceBuilder() : null;
  }

  Value.Rec contextRecord() {
    if (contextRecord == null) {
      contextRecord = new Value.Rec(context);
    }
    return contextRecord;
  }

  /**
   * The items of {@code principal.roles}; plain role names are its strings. Kept as the
   * request's own set, not copied, so that a decision allocates nothing for roles.
   */
  Set<Value> roles() {
    if (roles == null) {
      Value v = entities.attr(principal, "roles");
      roles = v instanceof Value.SetOf s ? s.items() : Set.of();
    }
    return roles;
  }

  void error(EvalError e) {
    if (errors == null) {
      errors = new ArrayList<>(2);
    }
    errors.add(e);
  }

  /** Whether derived role {@code id} holds for this request; evaluated at most once. */
  byte derivedRole(int id) {
    byte state = derived[id];
    if (state == 0) {
      state = set.evaluateDerivedRole(id, this);
      derived[id] = state;
    }
    return state;
  }
}
