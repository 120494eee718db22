package dev.verdict.lang.route;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.Str;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parsed route declarations as {@link Route}s. Implementation, not API (docs/architecture.md):
 * the compiler and the language module's tools call it; callers outside get routes from a
 * policy set's catalog.
 */
public final class RouteDecls {
  private RouteDecls() {}

  public static List<Route> of(List<Decl.RouteDecl> decls) {
    return decls.stream().map(RouteDecls::of).toList();
  }

  public static Route of(Decl.RouteDecl d) {
    Optional<String> param = d.idParam().map(Ident::name);
    Optional<String> fixedId = d.fixedId().map(Str::value);
    if (param.isPresent() && param.get().equals(Decl.RouteDecl.TEMPLATE_ID)
        && !RouteTemplate.read(d.template().value()).paramNames().contains(Decl.RouteDecl.TEMPLATE_ID)) {
      param = Optional.empty();
      fixedId = Optional.of(d.template().value());
    }
    return new Route(d.method().name(), d.template().value(), d.resourceType().name(), param,
        d.action().name(), d.intent().map(Str::value), annotations(d.annotations()), d.span(), fixedId);
  }

  /** Annotations by name, the first of a name winning as {@link Annotation#find} does. */
  public static Map<String, String> annotations(List<Annotation> list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Annotation a : list) {
      out.putIfAbsent(a.name().name(), a.value().map(Str::value).orElse(""));
    }
    return out;
  }
}
