package dev.verdict.server.policy;

import dev.verdict.lang.eval.PolicySet;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a new policy version no longer has compared with the one it replaced: rules (by id),
 * limits (by name) and routes ({@code METHOD template}). A deploy that loses a file, or a file
 * caught half-written, shows up here, in the log and at {@code GET /v1/policies}, even when
 * the new set is valid.
 *
 * @param rules rule ids, sorted
 * @param limits limit names, sorted
 * @param routes routes as {@code METHOD template}, sorted
 */
public record Removals(List<String> rules, List<String> limits, List<String> routes) {

  public static final Removals NONE = new Removals(List.of(), List.of(), List.of());

  public Removals {
    rules = List.copyOf(rules);
    limits = List.copyOf(limits);
    routes = List.copyOf(routes);
  }

  /** What {@code after} removed from {@code before}. */
  public static Removals between(PolicySet before, PolicySet after) {
    Catalog b = Catalog.of(before);
    Catalog a = Catalog.of(after);
    return new Removals(minus(b.rules, a.rules), minus(b.limits, a.limits), minus(b.routes, a.routes));
  }

  public boolean isEmpty() {
    return rules.isEmpty() && limits.isEmpty() && routes.isEmpty();
  }

  /** One line for the server log, e.g. {@code 2 limits (logins, transfers), 1 route (POST /x)}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    part(parts, rules, "rule");
    part(parts, limits, "limit");
    part(parts, routes, "route");
    return String.join(", ", parts);
  }

  private static void part(List<String> parts, List<String> names, String noun) {
    if (!names.isEmpty()) {
      parts.add(names.size() + " " + noun + (names.size() == 1 ? "" : "s") + " (" + String.join(", ", names) + ")");
    }
  }

  private static List<String> minus(SortedSet<String> from, SortedSet<String> taken) {
    List<String> out = new ArrayList<>();
    for (String s : from) {
      if (!taken.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private record Catalog(SortedSet<String> rules, SortedSet<String> limits, SortedSet<String> routes) {
    static Catalog of(PolicySet set) {
      Catalog c = new Catalog(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
      dev.verdict.lang.eval.Catalog declared = set.catalog();
      declared.rules().forEach(r -> c.rules.add(r.id()));
      declared.limits().forEach(l -> c.limits.add(l.name()));
      declared.routes().forEach(r -> c.routes.add(r.text()));
      return c;
    }
  }
}
