package dev.verdict.lang.plan;

import java.util.List;
import java.util.Objects;

/**
 * The answer to "which resources of this type may this principal act on": always, never, or
 * those that satisfy {@link #filter()}. Immutable.
 *
 * @param kind what the plan says
 * @param resourceType the type planned for
 * @param action the action planned for
 * @param filter {@link Filter#TRUE} when always allowed, {@link Filter#FALSE} when always denied,
 *     otherwise the condition on the resource
 * @param rules the ids of the rules that contributed (permits that may apply and forbids that may
 *     apply), in the set's order
 * @param policyVersion the version of the policy set planned against
 */
public record Plan(Kind kind, String resourceType, String action, Filter filter, List<String> rules,
    String policyVersion) {

  /** The version of the plan's JSON form ({@link PlanJson}); bumped on an incompatible change. */
  public static final int FORMAT_VERSION = 1;

  public enum Kind {
    ALWAYS_ALLOWED, ALWAYS_DENIED, CONDITIONAL
  }

  public Plan {
    Objects.requireNonNull(kind, "kind is null");
    Objects.requireNonNull(resourceType, "resourceType is null");
    Objects.requireNonNull(action, "action is null");
    Objects.requireNonNull(filter, "filter is null");
    rules = List.copyOf(rules);
    Objects.requireNonNull(policyVersion, "policyVersion is null");
  }

  /** The plan for a folded condition: its kind follows from the filter. */
  public static Plan of(String resourceType, String action, Filter filter, List<String> rules, String version) {
    Kind k = filter.equals(Filter.TRUE) ? Kind.ALWAYS_ALLOWED
        : filter.equals(Filter.FALSE) ? Kind.ALWAYS_DENIED : Kind.CONDITIONAL;
    return new Plan(k, resourceType, action, filter, rules, version);
  }
}
