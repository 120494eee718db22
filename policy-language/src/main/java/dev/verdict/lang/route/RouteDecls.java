package dev.verdict.lang.route;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.Str;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    return new Route(d.method().name(), d.template().value(), d.resourceType().name(), d.idParam().map(Ident::name),
        d.action().name(), d.intent().map(Str::value), annotations(d.annotations()), d.span());
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
