package dev.verdict.lang.eval;

import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes a {@link ReadSet} for a resource type from the set's declarations: every rule and
 * field rule of the policies on that type and on {@code *}, and every derived role that can
 * apply to it. Conservative wherever the syntax does not say: an index with a computed key
 * reads the whole record it indexes, and a path is kept up to its last constant attribute.
 */
final class ReadSetAnalysis {
  private final Set<List<String>> paths = new LinkedHashSet<>();
  private boolean hierarchy;
  private boolean clock;

  private ReadSetAnalysis() {}

  static ReadSet of(List<PolicyFile> files, String type) {
    ReadSetAnalysis a = new ReadSetAnalysis();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.RoleDecl r && (r.resourceType().isEmpty() || r.resourceType().get().name().equals(type))) {
          a.expr(r.condition());
        } else if (d instanceof Decl.PolicyDecl p
            && (p.resourceType().isEmpty() || p.resourceType().get().name().equals(type))) {
          a.policy(p);
        }
      }
    }
    if (a.clock) {
      return ReadSet.UNCACHEABLE;
    }
    return new ReadSet(true, new ArrayList<>(a.paths), a.hierarchy);
  }

  private void policy(Decl.PolicyDecl p) {
    for (PolicyMember m : p.members()) {
      if (m instanceof PolicyMember.Rule r) {
        if (!r.roles().isEmpty()) {
          paths.add(List.of("principal", "roles"));
        }
        for (Condition c : r.conditions()) {
          expr(c.expr());
        }
      } else if (m instanceof PolicyMember.FieldsBlock fb) {
        for (PolicyMember.FieldRule fr : fb.rules()) {
          fr.conditions().forEach(c -> {
            if (c instanceof PolicyMember.FieldCondition.When w) {
              expr(w.expr());
            } else {
              paths.add(List.of("principal", "roles"));
            }
          });
        }
      }
    }
  }

  private void expr(Expr e) {
    if (e instanceof Expr.Var v) {
      root(v);
    } else if (e instanceof Expr.GetAttr g) {
      path(g.target(), g.attr().name());
    } else if (e instanceof Expr.Index i) {
      if (i.index() instanceof Expr.StringLit s) {
        path(i.target(), s.value());
      } else {
        expr(i.target());
        expr(i.index());
      }
    } else if (e instanceof Expr.Has h) {
      path(h.target(), h.attr().name());
    } else if (e instanceof Expr.Binary b) {
      hierarchy |= b.op() == Expr.BinaryOp.IN;
      expr(b.left());
      expr(b.right());
    } else if (e instanceof Expr.Is is) {
      if (is.in().isPresent()) {
        hierarchy = true;
        expr(is.in().get());
      }
      expr(is.target());
    } else if (e instanceof Expr.Unary u) {
      expr(u.operand());
    } else if (e instanceof Expr.Like l) {
      expr(l.target());
    } else if (e instanceof Expr.If f) {
      expr(f.condition());
      expr(f.then());
      expr(f.otherwise());
    } else if (e instanceof Expr.ListLit l) {
      l.items().forEach(this::expr);
    } else if (e instanceof Expr.RecordLit r) {
      r.entries().forEach(en -> expr(en.value()));
    } else if (e instanceof Expr.Call c) {
      c.args().forEach(this::expr);
    }
    // literals and names of roles or groups read nothing from the request
  }

  private void path(Expr target, String last) {
    List<String> prefix = pathOf(target);
    if (prefix == null) {
      expr(target);
      return;
    }
    List<String> p = new ArrayList<>(prefix);
    p.add(last);
    add(p);
  }

  /** The constant path an expression names ({@code [resource, owner]}), or null. */
  private static List<String> pathOf(Expr e) {
    if (e instanceof Expr.Var v) {
      return v.kind() == Expr.VarKind.ACTION ? null : new ArrayList<>(List.of(v.kind().word()));
    }
    if (e instanceof Expr.GetAttr g) {
      List<String> p = pathOf(g.target());
      if (p != null) {
        p.add(g.attr().name());
      }
      return p;
    }
    if (e instanceof Expr.Index i && i.index() instanceof Expr.StringLit s) {
      List<String> p = pathOf(i.target());
      if (p != null) {
        p.add(s.value());
      }
      return p;
    }
    return null;
  }

  private void root(Expr.Var v) {
    if (v.kind() != Expr.VarKind.ACTION) { // the action is part of every key
      add(List.of(v.kind().word()));
    }
  }

  private void add(List<String> p) {
    if (p.get(0).equals("context") && (p.size() == 1 || p.get(1).equals(ContextKeys.NOW))) {
      clock = true;
    }
    paths.add(List.copyOf(p));
  }
}
