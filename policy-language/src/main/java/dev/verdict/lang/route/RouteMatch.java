package dev.verdict.lang.route;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link RouteTable#match} found: a {@link Matched} route, or {@link Unmatched} with the
 * reason. Callers deny every unmatched request: a path no route declares is never a shadow
 * endpoint.
 */
public sealed interface RouteMatch permits RouteMatch.Matched, RouteMatch.Unmatched {

  /** True for {@link Matched}. */
  boolean isMatch();

  /**
   * A route matched.
   *
   * @param resourceType the entity type the route names, e.g. {@code Account}
   * @param resourceId the decoded value of the route's {@code [id]} parameter; empty for
   *     collection routes ({@code -> Account.list})
   * @param action the action the route names
   * @param intent the route's intent, if it declares one
   * @param params every path parameter by name, decoded; goes into {@code context.params}
   * @param route the declaration that matched
   */
  record Matched(String resourceType, Optional<String> resourceId, String action,
      Optional<String> intent, Map<String, String> params, Route route) implements RouteMatch {
    public Matched {
      Objects.requireNonNull(resourceType, "resourceType is null");
      Objects.requireNonNull(resourceId, "resourceId is null");
      Objects.requireNonNull(action, "action is null");
      Objects.requireNonNull(intent, "intent is null");
      Objects.requireNonNull(params, "params is null");
      Objects.requireNonNull(route, "route is null");
    }

    @Override
    public boolean isMatch() {
      return true;
    }
  }

  /**
   * No route applies.
   *
   * @param reason why
   * @param message a lower-case explanation for logs and error bodies; it never echoes the path
   * @param allowedMethods for {@link Reason#METHOD_NOT_ALLOWED}, the methods routes declare for
   *     this path, sorted (for an {@code Allow} header); otherwise empty
   */
  record Unmatched(Reason reason, String message, Set<String> allowedMethods) implements RouteMatch {
    public Unmatched {
      Objects.requireNonNull(reason, "reason is null");
      Objects.requireNonNull(message, "message is null");
      allowedMethods = Collections.unmodifiableSet(new TreeSet<>(allowedMethods));
    }

    @Override
    public boolean isMatch() {
      return false;
    }
  }

  /** Why a request matched no route. */
  enum Reason {
    /** No route's template matches the path. */
    NO_ROUTE,
    /** Some route matches the path, but none for this method. */
    METHOD_NOT_ALLOWED,
    /** The method or path is malformed or could be read differently by a back end. */
    REFUSED_PATH
  }
}
