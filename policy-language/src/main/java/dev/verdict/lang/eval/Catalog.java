package dev.verdict.lang.eval;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.route.Route;
import dev.verdict.lang.route.RouteDecls;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a compiled policy set declares, as plain values: its routes, limits and rules, each with
 * its annotations and where it is declared. Tools, metrics and admin endpoints read this
 * instead of the parsed files (the syntax tree is not API).
 *
 * @param routes every route, in file order
 * @param limits every limit, in file order
 * @param rules every {@code permit} and {@code forbid} rule but templates, in file order
 * @param templates every template, in file order
 * @param links every link: the files' then those added at run time
 */
public record Catalog(List<Route> routes, List<Limit> limits, List<Rule> rules, List<Template> templates,
    List<Link> links) {
  public Catalog {
    routes = List.copyOf(routes);
    limits = List.copyOf(limits);
    rules = List.copyOf(rules);
    templates = List.copyOf(templates);
    links = List.copyOf(links);
  }

  public Catalog(List<Route> routes, List<Limit> limits, List<Rule> rules) {
    this(routes, limits, rules, List.of(), List.of());
  }

  /**
   * A template: a rule with slots, which applies only through links (its id is not among
   * {@link #rules}).
   *
   * @param slots {@code principal == ?principal}, {@code resource in ?resource}, as written
   */
  public record Template(String id, String policy, String effect, List<String> slots, Map<String, String> annotations,
      Span span) {
    public Template {
      Objects.requireNonNull(id, "id is null");
      slots = List.copyOf(slots);
      annotations = Map.copyOf(annotations);
    }
  }

  /** This catalog with {@code links} as its links. */
  Catalog withLinks(List<Link> links) {
    return new Catalog(routes, limits, rules, templates, links);
  }

  /**
   * A rule.
   *
   * @param id its {@code @id}, else {@code policy:line}
   * @param policy the name of the policy that holds it
   * @param effect {@code permit} or {@code forbid}
   */
  public record Rule(String id, String policy, String effect, Map<String, String> annotations, Span span) {
    public Rule {
      Objects.requireNonNull(id, "id is null");
      Objects.requireNonNull(policy, "policy is null");
      Objects.requireNonNull(effect, "effect is null");
      annotations = Map.copyOf(annotations);
      Objects.requireNonNull(span, "span is null");
    }
  }

  /** A limit: {@code limit transfers on intent "funds.transfer" …}. */
  public record Limit(String name, String intent, Map<String, String> annotations, Span span) {
    public Limit {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(intent, "intent is null");
      annotations = Map.copyOf(annotations);
      Objects.requireNonNull(span, "span is null");
    }
  }

  static Catalog of(List<PolicyFile> files) {
    List<Route> routes = new ArrayList<>();
    List<Limit> limits = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    List<Template> templates = new ArrayList<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.RouteDecl r) {
          routes.add(RouteDecls.of(r));
        } else if (d instanceof Decl.LimitDecl l) {
          limits.add(new Limit(l.name().name(), l.intent().value(), RouteDecls.annotations(l.annotations()), l.span()));
        } else if (d instanceof Decl.PolicyDecl p) {
          String policy = p.name().name();
          for (PolicyMember.Rule r : p.rules()) {
            if (r.isTemplate()) {
              templates.add(new Template(r.id(policy), policy, r.effect().word(),
                  r.slots().stream().map(dev.verdict.lang.ast.Slot::text).toList(), RouteDecls.annotations(r.annotations()),
                  r.span()));
            } else {
              rules.add(new Rule(r.id(policy), policy, r.effect().word(), RouteDecls.annotations(r.annotations()), r.span()));
            }
          }
        }
      }
    }
    return new Catalog(routes, limits, rules, templates, List.of());
  }
}
