package dev.verdict.lang.link;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.Slot;
import dev.verdict.lang.check.Schema;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The templates of a policy set (rules with slot conditions, named by their {@code @id}) and the
 * check of links against them: the template exists, the link fills exactly its slots, each with
 * an entity of a type the slot's condition can match, and no link id is used twice. The same
 * check serves {@code *.links.json} files and links created over the admin API.
 */
public final class Templates {
  /** A template: its rule, the resource type of its policy ({@code null} for {@code on *}). */
  public record Template(String id, String policyType, PolicyMember.Rule rule) {}

  private final Map<String, Template> byId;
  private final Schema schema;

  private Templates(Map<String, Template> byId, Schema schema) {
    this.byId = byId;
    this.schema = schema;
  }

  public static Templates of(List<PolicyFile> files) {
    Map<String, Template> byId = new LinkedHashMap<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.PolicyDecl p) {
          for (PolicyMember m : p.members()) {
            if (m instanceof PolicyMember.Rule r && r.isTemplate()) {
              byId.putIfAbsent(r.id(p.name().name()),
                  new Template(r.id(p.name().name()), p.resourceType().map(Ident::name).orElse(null), r));
            }
          }
        }
      }
    }
    return new Templates(byId, Schema.build(files, new ArrayList<>()));
  }

  public Optional<Template> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Template ids in declaration order. */
  public Set<String> ids() {
    return byId.keySet();
  }

  /**
   * The problems of {@code links}: V1504, V1505, V1506 (against each other and {@code taken}, the
   * ids of links already kept).
   */
  public List<Diagnostic> check(List<LinkRecord> links, Collection<String> taken) {
    List<Diagnostic> out = new ArrayList<>();
    Map<String, LinkRecord> seen = new HashMap<>();
    Set<String> before = new HashSet<>(taken);
    for (LinkRecord r : links) {
      Link l = r.link();
      LinkRecord first = seen.putIfAbsent(l.id(), r);
      if (first != null || before.contains(l.id())) {
        Diagnostic d = Diagnostic.of(Code.DUPLICATE_LINK, r.span(), "link id `" + l.id() + "` is used twice",
            "give every link its own id").withJsonPath(r.jsonPath() + ".id");
        out.add(first == null ? d : d.withRelated(first.span(), "first used here"));
        continue;
      }
      problem(r).ifPresent(out::add);
    }
    return out;
  }

  /** Why one link does not fit its template, if it does not. */
  public Optional<Diagnostic> problem(LinkRecord r) {
    Link l = r.link();
    Template t = byId.get(l.template());
    if (t == null) {
      String help = byId.isEmpty() ? "the policy set has no templates; a template is a rule with `when principal == ?principal` or `when resource == ?resource` and an @id"
          : dev.verdict.lang.check.Suggestions.didYouMean(l.template(), byId.keySet())
              .orElse("the templates are: " + String.join(", ", byId.keySet()));
      return Optional.of(Diagnostic.of(Code.UNKNOWN_TEMPLATE, r.span(), "no template has the id `" + l.template() + "`",
          help).withJsonPath(r.jsonPath() + ".template"));
    }
    for (Slot slot : t.rule().slots()) {
      if (!l.slots().containsKey(slot.name())) {
        return Optional.of(mismatch(r, ".slots", "template `" + t.id() + "` has the slot `?" + slot.name()
            + "` and the link does not fill it", "add \"" + slot.name() + "\": {\"type\": \"…\", \"id\": \"…\"} to `slots`"));
      }
    }
    for (Map.Entry<String, EntityUid> e : l.slots().entrySet()) {
      Optional<Slot> slot = t.rule().slot(e.getKey().equals("principal") ? Expr.VarKind.PRINCIPAL : Expr.VarKind.RESOURCE);
      if (slot.isEmpty()) {
        return Optional.of(mismatch(r, ".slots." + e.getKey(), "template `" + t.id() + "` has no slot `?" + e.getKey() + "`",
            "fill only " + slotNames(t) + "; remove `" + e.getKey() + "`"));
      }
      Set<String> allowed = allowedTypes(t, slot.get());
      if (allowed != null && !allowed.contains(e.getValue().type())) {
        return Optional.of(mismatch(r, ".slots." + e.getKey() + ".type", "`" + slot.get().text() + "` in template `" + t.id()
            + "` cannot match " + e.getValue() + ": a " + e.getValue().type() + " is not "
            + (slot.get().in() ? "one of the types a " + slot.get().name() + " may be in" : "a " + slot.get().name()
                + " of this template"), "use an entity of type " + String.join(" or ", allowed)));
      }
    }
    return Optional.empty();
  }

  private static String slotNames(Template t) {
    return String.join(" and ", t.rule().slots().stream().map(s -> "`" + s.name() + "`").toList());
  }

  private static Diagnostic mismatch(LinkRecord r, String path, String message, String help) {
    return Diagnostic.of(Code.LINK_SLOT_MISMATCH, r.span(), message, help).withJsonPath(r.jsonPath() + path);
  }

  /**
   * The entity types a slot accepts, or null when nothing can say (no entity types declared,
   * or a policy {@code on *}). {@code ==}: the variable's own type; {@code in}: it and
   * every type it may sit in, transitively.
   */
  private Set<String> allowedTypes(Template t, Slot slot) {
    if (slot.var() == Expr.VarKind.RESOURCE && !slot.in() && t.policyType() != null) {
      // the policy's rules only ever see resources of its type, schema or not
      return Set.of(t.policyType());
    }
    if (!schema.declaresEntities()) {
      return null;
    }
    String own;
    if (slot.var() == Expr.VarKind.RESOURCE) {
      own = t.policyType();
      if (own == null) {
        return null;
      }
    } else {
      own = Schema.DEFAULT_PRINCIPAL_TYPE;
      if (schema.entity(own).isEmpty()) {
        return null;
      }
    }
    Set<String> out = new LinkedHashSet<>();
    out.add(own);
    if (slot.in()) {
      ArrayDeque<String> todo = new ArrayDeque<>(List.of(own));
      while (!todo.isEmpty()) {
        schema.entity(todo.poll()).ifPresent(e -> e.parentTypes().forEach(p -> {
          if (out.add(p)) {
            todo.add(p);
          }
        }));
      }
    }
    return out;
  }
}
