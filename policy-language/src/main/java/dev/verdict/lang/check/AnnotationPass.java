package dev.verdict.lang.check;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.TypeExpr;
import dev.verdict.lang.source.Code;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Known annotations each have one place: {@code @id("…")} and {@code @reason("…")} on rules
 * and field rules, {@code @sensitive} on schema attributes. Any other annotation with a
 * string value ({@code @owner("team-payments")}) is the policy author's own, accepted anywhere
 * and kept (decision traces show those of rules and field rules). A name one or two edits
 * from a known one is refused: a misspelt {@code @idd("frozen")} would otherwise be kept as a
 * custom annotation and the rule would lose its id in decisions and tests.
 */
final class AnnotationPass implements Pass {
  /** Each known annotation, whether it takes a string value, and where it may stand. */
  private record Known(boolean valued, Set<Place> places, String purpose) {}

  private enum Place {
    RULE("a rule"), FIELD_RULE("a field rule"), ATTRIBUTE("a schema attribute"),
    ENTITY("an entity declaration"), CONTEXT("the context schema"), ROLE("a role"),
    ACTION_GROUP("an action group"), ACTION("an action declaration"), POLICY("a policy"), ROUTE("a route"), LIMIT("a limit"),
    INTENT("an intent declaration"), TEST("a test");

    private final String noun;

    Place(String noun) {
      this.noun = noun;
    }
  }

  private static final Map<String, Known> KNOWN = Map.of(
      "id", new Known(true, Set.of(Place.RULE, Place.FIELD_RULE), "names rules and field rules"),
      "reason", new Known(true, Set.of(Place.RULE, Place.FIELD_RULE), "explains rules and field rules"),
      "sensitive", new Known(false, Set.of(Place.ATTRIBUTE), "marks schema attributes"),
      "public", new Known(false, Set.of(Place.ROUTE), "lets requests without a token use a route"));

  @Override
  public String name() {
    return "annotations";
  }

  @Override
  public void run(CheckContext ctx) {
    for (Decl d : ctx.symbols.decls) {
      check(ctx, d.annotations(), placeOf(d));
      if (d instanceof Decl.EntityDecl e) {
        e.attrs().ifPresent(r -> record(ctx, r));
      } else if (d instanceof Decl.ContextDecl c) {
        record(ctx, c.attrs());
      } else if (d instanceof Decl.ActionDecl a) {
        a.context().ifPresent(r -> record(ctx, r));
      } else if (d instanceof Decl.PolicyDecl p) {
        for (PolicyMember m : p.members()) {
          if (m instanceof PolicyMember.Rule r) {
            check(ctx, r.annotations(), Place.RULE);
          } else if (m instanceof PolicyMember.FieldsBlock fb) {
            fb.rules().forEach(fr -> check(ctx, fr.annotations(), Place.FIELD_RULE));
          }
        }
      }
    }
  }

  private static void record(CheckContext ctx, TypeExpr.RecordOf rec) {
    for (TypeExpr.AttrDecl a : rec.attrs()) {
      check(ctx, a.annotations(), Place.ATTRIBUTE);
      type(ctx, a.type());
    }
  }

  private static void type(CheckContext ctx, TypeExpr t) {
    if (t instanceof TypeExpr.RecordOf r) {
      record(ctx, r);
    } else if (t instanceof TypeExpr.SetOf s) {
      type(ctx, s.element());
    }
  }

  private static Place placeOf(Decl d) {
    if (d instanceof Decl.EntityDecl) {
      return Place.ENTITY;
    } else if (d instanceof Decl.ContextDecl) {
      return Place.CONTEXT;
    } else if (d instanceof Decl.RoleDecl || d instanceof Decl.PlainRolesDecl) {
      return Place.ROLE;
    } else if (d instanceof Decl.ActionGroupDecl) {
      return Place.ACTION_GROUP;
    } else if (d instanceof Decl.ActionDecl) {
      return Place.ACTION;
    } else if (d instanceof Decl.PolicyDecl) {
      return Place.POLICY;
    } else if (d instanceof Decl.RouteDecl) {
      return Place.ROUTE;
    } else if (d instanceof Decl.LimitDecl) {
      return Place.LIMIT;
    } else if (d instanceof Decl.IntentDecl) {
      return Place.INTENT;
    }
    return Place.TEST;
  }

  private static void check(CheckContext ctx, List<Annotation> annotations, Place place) {
    Set<String> seen = new HashSet<>();
    for (Annotation a : annotations) {
      String name = a.name().name();
      Known known = KNOWN.get(name);
      Optional<String> misspelt = known == null ? Suggestions.closest(name, KNOWN.keySet()) : Optional.empty();
      if (misspelt.isPresent()) {
        ctx.report(Code.BAD_ANNOTATION, a.span(), "unknown annotation `@" + name + "`",
            "did you mean `@" + misspelt.get() + "`?");
      } else if (known == null && a.value().isEmpty()) {
        ctx.report(Code.BAD_ANNOTATION, a.span(), "unknown annotation `@" + name + "`",
            "an annotation of your own takes a string value: `@" + name + "(\"…\")`; the known markers are"
                + " `@id(\"…\")`, `@reason(\"…\")`, `@sensitive` and `@public`");
      } else if (known == null) {
        if (!seen.add(name)) {
          ctx.report(Code.BAD_ANNOTATION, a.span(), "`@" + name + "` is given twice", "keep one");
        }
      } else if (!known.places().contains(place)) {
        ctx.report(Code.BAD_ANNOTATION, a.span(), "`@" + name + "` is not allowed on " + place.noun,
            "`@" + name + "` " + known.purpose() + "; remove it here");
      } else if (known.valued() && a.value().isEmpty()) {
        ctx.report(Code.BAD_ANNOTATION, a.span(), "`@" + name + "` needs a value",
            "write `@" + name + "(\"…\")`");
      } else if (!known.valued() && a.value().isPresent()) {
        ctx.report(Code.BAD_ANNOTATION, a.span(), "`@" + name + "` takes no value", "write `@" + name + "`");
      } else if (!seen.add(name)) {
        ctx.report(Code.BAD_ANNOTATION, a.span(), "`@" + name + "` is given twice", "keep one");
      }
    }
  }
}
