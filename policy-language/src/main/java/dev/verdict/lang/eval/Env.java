package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything one decision evaluates against; created once per decision, never shared. */
final class Env {
  final Request request;
  /** The context conditions read: the request's, or the engine's stamped copy of it. */
  final Map<String, Value> context;
  final EntityView entities;
  final EntityUid principal;
  final EntityUid resource;
  private final PolicySet set;
  private Value.Rec contextRecord;
  private Value.Str action;
  private Set<Value> roles;
  /**
   * Per derived role: 0 not yet evaluated, 1 holds, 2 does not hold, 3 errored; plus
   * {@link #READ_ACTION} when its evaluation read {@code action}.
   */
  private final byte[] derived;
  /** A batch's roles settled for this principal and resource by its other actions, or null. */
  private final byte[] settled;
  /** Set whenever {@code action} is read: tells a derived role that depends on it from one that does not. */
  private boolean actionRead;
  private static final byte READ_ACTION = 4;
  List<EvalError> errors;
  final TraceBuilder trace;

  Env(PolicySet set, Request request, boolean explain) {
    this(set, request, explain, null);
  }

  /** @param stored the entity store's lookup (entities neither the request nor the data files carry), or null */
  Env(PolicySet set, Request request, boolean explain, java.util.function.Function<EntityUid, EntityData> stored) {
    this(set, request, explain, stored, null);
  }

  /** @param memo a batch's derived roles for this principal and resource, or null; not used when explaining */
  Env(PolicySet set, Request request, boolean explain, java.util.function.Function<EntityUid, EntityData> stored,
      DerivedRoleMemo memo) {
    this(set, request, request.context(), explain, stored, memo);
  }

  /** @param context read instead of {@code request}'s own (its stamped copy) */
  Env(PolicySet set, Request request, Map<String, Value> context, boolean explain,
      java.util.function.Function<EntityUid, EntityData> stored, DerivedRoleMemo memo) {
    this.set = set;
    this.request = request;
    this.context = context;
    this.entities = new EntityView(set.graph(), stored, request);
    this.principal = request.principal().uid();
    this.resource = request.resource().uid();
    this.derived = new byte[set.derivedRoleCount()];
    this.trace = explain ? new TraceBuilder() : null;
    // a trace lists every role evaluated, so an explained decision evaluates its own
    this.settled = memo == null || explain ? null : memo.statesFor(set, request, context);
  }

  /**
   * {@code action} as a value, made when a condition first reads it: most rules are found by
   * their action and never read it, and a decision should not pay for a value nothing reads.
   */
  Value.Str action() {
    actionRead = true;
    if (action == null) {
      action = new Value.Str(request.action());
    }
    return action;
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

  /**
   * Whether derived role {@code id} holds for this request (1 holds, 2 does not, 3 errored);
   * evaluated at most once, and not at all when the batch settled it already.
   */
  byte derivedRole(int id) {
    byte state = derived[id];
    if (state == 0) {
      if (settled != null && settled[id] != 0) {
        state = settled[id];
      } else {
        boolean before = actionRead;
        actionRead = false;
        state = set.evaluateDerivedRole(id, this);
        if (actionRead) {
          state |= READ_ACTION;
        } else if (settled != null && state != 3) {
          settled[id] = state;
        }
        actionRead |= before;
      }
      derived[id] = state;
    } else if ((state & READ_ACTION) != 0) {
      // a role that uses this one depends on the action as well
      actionRead = true;
    }
    return (byte) (state & ~READ_ACTION);
  }
}
