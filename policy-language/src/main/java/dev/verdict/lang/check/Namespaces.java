package dev.verdict.lang.check;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Namespaced type names ({@code App::User}). A type is a plain string everywhere (schemas,
 * data, requests, routes); the namespace is what precedes its last {@code ::}. A name in a
 * namespace no declared type uses is reported as such (V0311), since "did you mean" on the
 * whole name cannot tell a misspelt namespace from a misspelt type.
 */
final class Namespaces {
  private Namespaces() {}

  /** The namespace of {@code type}: {@code App} for {@code App::User}, empty for {@code User}. */
  static String of(String type) {
    int i = type.lastIndexOf("::");
    return i < 0 ? "" : type.substring(0, i);
  }

  /** The namespaces the {@code known} types are declared in (not the empty one). */
  static Set<String> declared(Collection<String> known) {
    Set<String> out = new TreeSet<>();
    for (String t : known) {
      String ns = of(t);
      while (!ns.isEmpty()) {
        out.add(ns);
        ns = of(ns);
      }
    }
    return out;
  }

  /**
   * The report for {@code type} when its namespace is not one of the known types': always when
   * {@code strict}, else only when it looks like a misspelt declared namespace.
   */
  static Optional<Diagnostic> unknown(Span span, String type, Collection<String> known, boolean strict) {
    String ns = of(type);
    if (ns.isEmpty()) {
      return Optional.empty();
    }
    Set<String> namespaces = declared(known);
    if (namespaces.contains(ns)) {
      return Optional.empty();
    }
    Optional<String> guess = Suggestions.didYouMean(ns, namespaces);
    if (!strict && guess.isEmpty()) {
      return Optional.empty();
    }
    String help = guess.orElse(namespaces.isEmpty()
        ? "no type is declared in a namespace; declare it with `entity " + type + "`"
        : "declared namespaces are " + Suggestions.list(namespaces) + "; or declare it with `entity " + type + "`");
    return Optional.of(Diagnostic.of(Code.UNKNOWN_NAMESPACE, span, "unknown namespace `" + ns + "` in `" + type + "`",
        help));
  }
}
