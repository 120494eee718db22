package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one decision evaluates against; created once per decision, never shared. Its
 * entities are the {@link EntityView} it extends, so that a decision makes one object, not two.
 */
final class Env extends EntityView {
  final Request request;
  /** The context conditions read: the request's, or the engine's stamped copy of it. */
  final Map<String, Value> context;
  final EntityUid principal;
  final EntityUid resource;
  private final PolicySet set;
  private Value.Rec contextRecord;
  private Value.Str action;
  private Set<Value> roles;
  /**
   * Per derived role: 0 not yet evaluated, 1 holds, 2 does not hold, 3 errored; plus
   * {@link #READ_ACTION} when its evaluation read {@code action}. Four bits a role in
   * {@link #derivedBits} while they fit (most sets), so no array is made per decision; else
   * this array, one byte a role.
   */
  private final byte[] derived;
  private long derivedBits;
  private static final int ROLES_IN_BITS = Long.SIZE / 4;
  /**
   * The rules hit (positions in the index being evaluated): the first in {@link #firstHit},
   * the array made only for a second (one rule or none decides most requests).
   */
  private int firstHit;
  private int[] hits;
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
    super(set.graph(), stored, request);
    this.set = set;
    this.request = request;
    this.context = context;
    this.principal = request.principal().uid();
    this.resource = request.resource().uid();
    int roles = set.derivedRoleCount();
    this.derived = roles > ROLES_IN_BITS ? new byte[roles] : null;
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
      Value v = attr(principal, ROLES);
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
    byte state = derived == null ? (byte) ((derivedBits >>> (id << 2)) & 0xF) : derived[id];
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
      if (derived == null) {
        derivedBits |= (long) state << (id << 2);
      } else {
        derived[id] = state;
      }
    } else if ((state & READ_ACTION) != 0) {
      // a role that uses this one depends on the action as well
      actionRead = true;
    }
    return (byte) (state & ~READ_ACTION);
  }

  /**
   * Records rule {@code rule} as hit number {@code n} (from 0) of at most {@code capacity}
   * that the index being evaluated can collect; returns {@code n + 1}.
   */
  int hit(int n, int rule, int capacity) {
    if (n == 0) {
      firstHit = rule;
      return 1;
    }
    if (hits == null || hits.length < capacity) {
      int[] more = new int[Math.max(capacity, n + 1)];
      if (hits != null) {
        System.arraycopy(hits, 1, more, 1, n - 1);
      }
      hits = more;
    }
    hits[n] = rule;
    return n + 1;
  }

  /** Hit number {@code k} (from 0) of those recorded by {@link #hit}. */
  int hitAt(int k) {
    return k == 0 ? firstHit : hits[k];
  }

  /** Puts the first {@code n} hits in rule order. */
  void sortHits(int n) {
    if (n > 1) {
      hits[0] = firstHit;
      java.util.Arrays.sort(hits, 0, n);
      firstHit = hits[0];
    }
  }
}
