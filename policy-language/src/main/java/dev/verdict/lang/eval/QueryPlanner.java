package dev.verdict.lang.eval;

import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanUnsupported;
import java.util.Map;
import java.util.Objects;

/**
 * Plans list queries: for a principal, a resource type and an action, the condition on the
 * resource under which {@link Authorizer} would allow (see {@link dev.verdict.lang.plan.Filter}).
 * The resource's attributes, id and parents are unknown; everything else (the principal, the
 * context, the entity data) is as a decision would read it.
 */
public final class QueryPlanner {
  private QueryPlanner() {}

  /**
   * The plan; exact: a resource satisfies its filter if and only if a decision on it, with the
   * same principal, action and context, allows.
   *
   * @throws PlanUnsupported when a rule reads the resource in a way filters cannot express
   */
  public static Plan plan(PolicySet set, EntityData principal, String resourceType, String action,
      Map<String, Value> context) {
    Objects.requireNonNull(set, "set is null");
    Objects.requireNonNull(principal, "principal is null");
    Objects.requireNonNull(resourceType, "resourceType is null");
    Objects.requireNonNull(action, "action is null");
    Objects.requireNonNull(context, "context is null");
    return new Residuals(set, principal, resourceType, action, context).plan();
  }
}
