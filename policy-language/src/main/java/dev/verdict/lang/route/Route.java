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
 *     and for a route with a fixed id
 * @param action the action the route names
 * @param intent the route's intent, if it declares one
 * @param annotations the route's annotations by name ({@code ""} for a bare marker)
 * @param span where the route is declared
 * @param fixedId the resource's id when the route names one ({@code AuthApi["session"]}, or the
 *     template itself for {@code AuthApi[route]}); empty otherwise
 */
public record Route(String method, String template, String resourceType, Optional<String> idParam, String action,
    Optional<String> intent, Map<String, String> annotations, Span span, Optional<String> fixedId) {
  /** The annotation that makes a route public: a request without a token is decided as {@code Anonymous}. */
  public static final String PUBLIC = "public";

  public Route {
    Objects.requireNonNull(method, "method is null");
    Objects.requireNonNull(template, "template is null");
    Objects.requireNonNull(resourceType, "resourceType is null");
    Objects.requireNonNull(idParam, "idParam is null");
    Objects.requireNonNull(action, "action is null");
    Objects.requireNonNull(intent, "intent is null");
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(span, "span is null");
    Objects.requireNonNull(fixedId, "fixedId is null");
    if (idParam.isPresent() && fixedId.isPresent()) {
      throw new IllegalArgumentException("route `" + method + " " + template + "` binds a parameter and a fixed id");
    }
  }

  /** A route whose resource id is a template parameter, or a collection route. */
  public Route(String method, String template, String resourceType, Optional<String> idParam, String action,
      Optional<String> intent, Map<String, String> annotations, Span span) {
    this(method, template, resourceType, idParam, action, intent, annotations, span, Optional.empty());
  }

  /** Whether requests without a token may use it ({@code @public}). */
  public boolean isPublic() {
    return annotations.containsKey(PUBLIC);
  }

  /** {@code POST /accounts/{id}/transfers}. */
  public String text() {
    return method + " " + template;
  }
}
