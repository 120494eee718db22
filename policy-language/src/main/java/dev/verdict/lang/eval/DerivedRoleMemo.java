package dev.verdict.lang.eval;

import java.util.List;
import java.util.Map;

/**
 * The derived roles one batch has settled for a principal and a resource, reused by the
 * batch's other actions on the same resource. A role is kept only when its condition did not
 * read {@code action} (nor a role that did) and evaluated without error: everything else it
 * can read (principal, resource, context with its one {@code now}, the request's entities) is
 * the batch's, the same objects for every item, so another action gets the same answer. An
 * error is evaluated again, so that every decision it affects reports it. Not thread-safe: one
 * batch, one thread at a time.
 */
public final class DerivedRoleMemo {
  private PolicySet set;
  private EntityData principal;
  private EntityData resource;
  private Map<String, Value> context;
  private List<EntityData> entities;
  private byte[] states;

  public DerivedRoleMemo() {}

  /**
   * The states for {@code request} read in {@code context}: those kept for the same set and the
   * same principal, resource, context and entities (the same objects), or fresh ones when any
   * differs.
   */
  byte[] statesFor(PolicySet set, Request request, Map<String, Value> context) {
    if (set != this.set || request.principal() != principal || request.resource() != resource
        || context != this.context || request.entities() != entities) {
      this.set = set;
      this.principal = request.principal();
      this.resource = request.resource();
      this.context = context;
      this.entities = request.entities();
      this.states = new byte[set.derivedRoleCount()];
    }
    return states;
  }
}
