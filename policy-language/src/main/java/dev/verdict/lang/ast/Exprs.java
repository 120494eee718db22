package dev.verdict.lang.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Generic traversal helpers over expressions and the expressions a declaration holds. */
public final class Exprs {
  private Exprs() {}

  /** The direct sub-expressions of {@code e}, left to right. */
  public static List<Expr> children(Expr e) {
    if (e instanceof Expr.GetAttr g) {
      return List.of(g.target());
    } else if (e instanceof Expr.Index i) {
      return List.of(i.target(), i.index());
    } else if (e instanceof Expr.ListLit l) {
      return l.items();
    } else if (e instanceof Expr.RecordLit r) {
      return r.entries().stream().map(Expr.Entry::value).toList();
    } else if (e instanceof Expr.Unary u) {
      return List.of(u.operand());
    } else if (e instanceof Expr.Binary b) {
      return List.of(b.left(), b.right());
    } else if (e instanceof Expr.Is i) {
      return i.in().map(x -> List.of(i.target(), x)).orElse(List.of(i.target()));
    } else if (e instanceof Expr.Has h) {
      return List.of(h.target());
    } else if (e instanceof Expr.Like l) {
      return List.of(l.target());
    } else if (e instanceof Expr.If i) {
      return List.of(i.condition(), i.then(), i.otherwise());
    } else if (e instanceof Expr.Call c) {
      return c.args();
    }
    return List.of(); // literals, variables and entity literals are leaves
  }

  /** Every top-level expression of a declaration (conditions, keys, test values). */
  public static List<Expr> roots(Decl d) {
    List<Expr> out = new ArrayList<>();
    if (d instanceof Decl.RoleDecl r) {
      out.add(r.condition());
    } else if (d instanceof Decl.PolicyDecl p) {
      for (PolicyMember m : p.members()) {
        if (m instanceof PolicyMember.Rule r) {
          r.conditions().forEach(c -> out.add(c.expr()));
        } else if (m instanceof PolicyMember.FieldsBlock fb) {
          for (PolicyMember.FieldRule fr : fb.rules()) {
            for (PolicyMember.FieldCondition c : fr.conditions()) {
              if (c instanceof PolicyMember.FieldCondition.When w) {
                out.add(w.expr());
              }
            }
          }
        }
      }
    } else if (d instanceof Decl.LimitDecl l) {
      out.addAll(l.keys());
      l.lines().forEach(line -> line.when().ifPresent(out::add));
    } else if (d instanceof Decl.TestDecl t) {
      for (TestItem item : t.items()) {
        if (item instanceof TestItem.EntitySpec s) {
          s.attrs().ifPresent(out::add);
        } else if (item instanceof TestItem.ContextSpec c) {
          out.add(c.attrs());
        }
      }
    }
    return out;
  }

  /** Every expression node under {@code root}, pre-order, without recursion. */
  public static List<Expr> all(Expr root) {
    List<Expr> out = new ArrayList<>();
    java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Expr e = stack.pop();
      out.add(e);
      List<Expr> kids = children(e);
      for (int i = kids.size() - 1; i >= 0; i--) {
        stack.push(kids.get(i));
      }
    }
    return out;
  }

  /** The first sub-expression (pre-order) deeper than {@code max}, if any; no recursion. */
  public static Optional<Expr> deeperThan(Expr root, int max) {
    java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
    stack.push(new Object[] {root, 1});
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      Expr e = (Expr) top[0];
      int depth = (Integer) top[1];
      if (depth > max) {
        return Optional.of(e);
      }
      for (Expr k : children(e)) {
        stack.push(new Object[] {k, depth + 1});
      }
    }
    return Optional.empty();
  }
}
