package dev.verdict.lang.route;

import dev.verdict.lang.source.Span;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A route a policy set declares: {@code route POST "/accounts/{id}/transfers" -> Account[id].transfer
 * intent "funds.transfer"}, as plain values.
 *
 * @param method the HTTP method, upper case
 * @param template the path template as written, e.g. {@code /accounts/{id}/transfers}
 * @param resourceType the entity type the route names
 * @param idParam the template parameter that holds the resource's id; empty for a collection route
 * @param action the action the route names
 * @param intent the route's intent, if it declares one
 * @param annotations the route's annotations by name ({@code ""} for a bare marker)
 * @param span where the route is declared
 */
public record Route(String method, String template, String resourceType, Optional<String> idParam, String action,
    Optional<String> intent, Map<String, String> annotations, Span span) {
  public Route {
    Objects.requireNonNull(method, "method is null");
    Objects.requireNonNull(template, "template is null");
    Objects.requireNonNull(resourceType, "resourceType is null");
    Objects.requireNonNull(idParam, "idParam is null");
    Objects.requireNonNull(action, "action is null");
    Objects.requireNonNull(intent, "intent is null");
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(span, "span is null");
  }

  /** {@code POST /accounts/{id}/transfers}. */
  public String text() {
    return method + " " + template;
  }
}
