package dev.verdict.lang.format;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.ast.TypeExpr;
import java.util.List;

/**
 * Prints declarations as compact source text, one declaration per line and no comments, such
 * that parsing the text gives back an equal AST. Meant for tests and for messages; people
 * read the output of {@link Formatter} instead.
 */
public final class AstPrinter {
  private AstPrinter() {}

  public static String print(List<Decl> decls) {
    StringBuilder b = new StringBuilder();
    for (Decl d : decls) {
      b.append(print(d)).append('\n');
    }
    return b.toString();
  }

  public static String print(Expr e) {
    return ExprPrinter.print(e);
  }

  public static String print(Decl d) {
    String prefix = Pieces.inlineAnnotations(d.annotations());
    if (d instanceof Decl.EntityDecl e) {
      return prefix + Pieces.entityHeader(e) + e.attrs().map(r -> " " + Pieces.inlineRecord(r)).orElse("");
    } else if (d instanceof Decl.ContextDecl c) {
      return prefix + "context " + Pieces.inlineRecord(c.attrs());
    } else if (d instanceof Decl.PlainRolesDecl r) {
      return prefix + Pieces.plainRoles(r);
    } else if (d instanceof Decl.RoleDecl r) {
      return prefix + Pieces.derivedRoleHead(r) + " when " + ExprPrinter.print(r.condition());
    } else if (d instanceof Decl.ActionGroupDecl a) {
      return prefix + Pieces.actionGroup(a);
    } else if (d instanceof Decl.ActionDecl a) {
      StringBuilder b = new StringBuilder(prefix).append(Pieces.actionHeader(a)).append(" {");
      if (!a.principals().isEmpty()) {
        b.append(' ').append(Pieces.actionTypes("principal", a.principals()));
      }
      if (!a.resources().isEmpty()) {
        b.append(' ').append(Pieces.actionTypes("resource", a.resources()));
      }
      a.context().ifPresent(c -> b.append(" context ").append(Pieces.inlineRecord(c)));
      return b.append(" }").toString();
    } else if (d instanceof Decl.PolicyDecl p) {
      StringBuilder b = new StringBuilder(prefix).append(Pieces.policyHeader(p)).append(" {");
      for (PolicyMember m : p.members()) {
        b.append(' ').append(member(m));
      }
      return b.append(" }").toString();
    } else if (d instanceof Decl.RouteDecl r) {
      return prefix + Pieces.route(r);
    } else if (d instanceof Decl.IntentDecl i) {
      return prefix + Pieces.intentDecl(i);
    } else if (d instanceof Decl.LimitDecl l) {
      StringBuilder b = new StringBuilder(prefix).append(Pieces.limitHeader(l)).append(" {");
      for (Decl.LimitLine line : l.lines()) {
        b.append(' ').append(Pieces.limitLineHead(line));
        line.when().ifPresent(w -> b.append(' ').append(Pieces.limitLineWhen(line)));
      }
      l.unavailable().ifPresent(u -> b.append(' ').append(Pieces.limitUnavailable(u)));
      return b.append(" }").toString();
    }
    Decl.TestDecl t = (Decl.TestDecl) d;
    StringBuilder b = new StringBuilder(prefix).append(Pieces.testHeader(t)).append(" {");
    for (TestItem item : t.items()) {
      b.append(' ').append(Pieces.testItem(item));
    }
    return b.append(" }").toString();
  }

  private static String member(PolicyMember m) {
    if (m instanceof PolicyMember.Rule r) {
      StringBuilder b = new StringBuilder(Pieces.inlineAnnotations(r.annotations())).append(Pieces.ruleHead(r));
      r.conditions().forEach(c -> b.append(' ').append(Pieces.condition(c)));
      return b.toString();
    }
    PolicyMember.FieldsBlock f = (PolicyMember.FieldsBlock) m;
    StringBuilder b = new StringBuilder(Pieces.fieldsHeader(f)).append(" {");
    for (PolicyMember.FieldRule r : f.rules()) {
      b.append(' ').append(Pieces.fieldRuleHead(r)).append(' ').append(Pieces.fieldRuleTail(r));
    }
    return b.append(" }").toString();
  }

  /** A schema type, e.g. {@code Set<{ a: String }>}. */
  public static String print(TypeExpr t) {
    return Pieces.type(t);
  }
}
