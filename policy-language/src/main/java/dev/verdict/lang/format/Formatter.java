package dev.verdict.lang.format;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.ast.TypeExpr;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a parsed policy file in the one canonical layout of {@code verdict fmt}, keeping
 * every comment. Formatting its own output changes nothing.
 *
 * <p>The layout (documented for users in {@code docs/language.md}):
 * <ul>
 *   <li>two spaces of indentation per block; lines end in {@code \n}; the file ends in one;
 *   <li>one blank line between declarations, except that declarations of the same one-line
 *       kind (roles, action groups, routes, intent declarations, entities without attributes) stay together when
 *       the source has no blank line between them and neither is annotated; consecutive
 *       routes are aligned in columns;
 *   <li>inside blocks, a run of blank lines between members becomes one blank line;
 *   <li>annotations of declarations and rules on a line of their own, of attributes and
 *       field rules inline;
 *   <li>one rule, role, limit line or test item per line; when one is wider than
 *       {@link #WIDTH} columns, each {@code when}/{@code unless} goes on a continuation line
 *       indented four more spaces, and a condition still too wide breaks before its top-level
 *       {@code and}/{@code or}; comments between conditions keep their place;
 *   <li>field rules one per line with their effects aligned in a column;
 *   <li>schema records one attribute per line; a nested record inline when it holds no
 *       comment and fits in {@link #WIDTH} columns;
 *   <li>expressions with single spaces around operators and only the parentheses that
 *       precedence needs; strings re-quoted with canonical escapes; numbers and durations
 *       as written; entity references in tests as {@code Type "id"}.
 * </ul>
 * Comments are placed by {@link Output}.
 */
public final class Formatter {
  /** Lines wider than this break before {@code when} and {@code unless}. */
  public static final int WIDTH = 100;
  private static final String INDENT = "  ";
  private static final String CONTINUATION = "    ";

  private final PolicyFile file;
  private final Output out;

  private Formatter(PolicyFile file) {
    this.file = file;
    this.out = new Output(file);
  }

  /**
   * The canonical text of {@code file}. The file must come from a parse without errors:
   * declarations the parser dropped cannot be written back.
   */
  public static String format(PolicyFile file) {
    return new Formatter(file).run();
  }

  private String run() {
    List<Decl> decls = file.decls();
    int[][] routeColumns = routeColumns(decls);
    for (int i = 0; i < decls.size(); i++) {
      Decl d = decls.get(i);
      if (i > 0 && !grouped(decls.get(i - 1), d)) {
        out.wantBlank();
      }
      decl(d, routeColumns[i]);
    }
    out.finish();
    return out.text();
  }

  // ---- grouping of one-line declarations

  private enum Kind { ROLE, ACTIONS, ROUTE, INTENT, ENTITY, OTHER }

  private static Kind kind(Decl d) {
    if (!d.annotations().isEmpty()) {
      return Kind.OTHER;
    } else if (d instanceof Decl.PlainRolesDecl || d instanceof Decl.RoleDecl) {
      return Kind.ROLE;
    } else if (d instanceof Decl.ActionGroupDecl) {
      return Kind.ACTIONS;
    } else if (d instanceof Decl.RouteDecl) {
      return Kind.ROUTE;
    } else if (d instanceof Decl.IntentDecl) {
      return Kind.INTENT;
    } else if (d instanceof Decl.EntityDecl e && e.attrs().isEmpty()) {
      return Kind.ENTITY;
    }
    return Kind.OTHER;
  }

  /** Same one-line kind and no blank source line between them. */
  private boolean grouped(Decl a, Decl b) {
    Kind k = kind(a);
    if (k == Kind.OTHER || k != kind(b)) {
      return false;
    }
    for (int n = a.span().endLine() + 1; n < b.span().line(); n++) {
      if (file.source().line(n).isBlank()) {
        return false;
      }
    }
    return true;
  }

  /** For each declaration, the widths of the method and template columns of its route group. */
  private int[][] routeColumns(List<Decl> decls) {
    int[][] columns = new int[decls.size()][];
    int i = 0;
    while (i < decls.size()) {
      int j = i + 1;
      if (decls.get(i) instanceof Decl.RouteDecl) {
        while (j < decls.size() && decls.get(j) instanceof Decl.RouteDecl && grouped(decls.get(j - 1), decls.get(j))) {
          j++;
        }
      }
      int method = 0;
      int template = 0;
      for (int k = i; k < j; k++) {
        if (decls.get(k) instanceof Decl.RouteDecl r) {
          method = Math.max(method, width(Pieces.routeMethod(r)));
          template = Math.max(template, width(Pieces.routeTemplate(r)));
        }
      }
      for (int k = i; k < j; k++) {
        columns[k] = new int[] {method, template};
      }
      i = j;
    }
    return columns;
  }

  // ---- declarations

  private void decl(Decl d, int[] routeColumns) {
    boolean glue = annotationLine(d.annotations(), "");
    Output.Range body = bodyRange(d.annotations(), d.span());
    if (d instanceof Decl.EntityDecl e) {
      if (e.attrs().isEmpty()) {
        out.node("", Pieces.entityHeader(e), body, glue);
      } else {
        record(Pieces.entityHeader(e), e.attrs().get(), "", body, glue, d.span());
      }
    } else if (d instanceof Decl.ContextDecl c) {
      record("context", c.attrs(), "", body, glue, d.span());
    } else if (d instanceof Decl.PlainRolesDecl r) {
      out.node("", Pieces.plainRoles(r), body, glue);
    } else if (d instanceof Decl.RoleDecl r) {
      out.node("", breakable("", Pieces.derivedRoleHead(r), List.of(new Clause("when", r.condition()))), body, glue);
    } else if (d instanceof Decl.ActionGroupDecl a) {
      out.node("", Pieces.actionGroup(a), body, glue);
    } else if (d instanceof Decl.ActionDecl a) {
      action(a, body, glue);
    } else if (d instanceof Decl.PolicyDecl p) {
      policy(p, body, glue);
    } else if (d instanceof Decl.RouteDecl r) {
      out.node("", pad(Pieces.routeMethod(r), routeColumns[0]) + " " + pad(Pieces.routeTemplate(r), routeColumns[1])
          + " " + Pieces.routeTarget(r), body, glue);
    } else if (d instanceof Decl.IntentDecl i) {
      out.node("", Pieces.intentDecl(i), body, glue);
    } else if (d instanceof Decl.LimitDecl l) {
      limit(l, body, glue);
    } else {
      test((Decl.TestDecl) d, body, glue);
    }
  }

  /** Writes annotations on a line of their own; true when it did (the body then follows glued). */
  private boolean annotationLine(List<Annotation> annotations, String indent) {
    if (annotations.isEmpty()) {
      return false;
    }
    Span first = annotations.get(0).span();
    Span last = annotations.get(annotations.size() - 1).span();
    out.node(indent, Pieces.annotations(annotations), new Output.Range(first.start(), first.line(), last.end(), last.endLine()), false);
    return true;
  }

  /** The range of a construct after its annotations. */
  private static Output.Range bodyRange(List<Annotation> annotations, Span whole) {
    if (annotations.isEmpty()) {
      return Output.Range.of(whole);
    }
    Span last = annotations.get(annotations.size() - 1).span();
    return new Output.Range(last.end(), last.endLine(), whole.end(), whole.endLine());
  }

  /** The range of a block's header: from its start to the end of its last written part. */
  private static Output.Range header(Output.Range body, Span lastPart) {
    return new Output.Range(body.start(), body.line(), lastPart.end(), lastPart.endLine());
  }

  // ---- schema

  /** An entity or context schema: {@code head { attributes }}, always one attribute per line. */
  private void record(String head, TypeExpr.RecordOf r, String indent, Output.Range body, boolean glue, Span whole) {
    Span brace = r.span();
    Output.Range headRange = new Output.Range(body.start(), body.line(), brace.start() + 1, brace.line());
    if (r.attrs().isEmpty() && !out.hasCommentsIn(brace.start(), brace.end())) {
      out.node(indent, head + " {}", body, glue);
      return;
    }
    out.open(indent, head, headRange, glue);
    for (TypeExpr.AttrDecl a : r.attrs()) {
      attribute(a, indent + INDENT);
    }
    out.close(indent, indent + INDENT, whole);
  }

  private void attribute(TypeExpr.AttrDecl a, String indent) {
    Output.Range range = Output.Range.of(a.span());
    if (a.type() instanceof TypeExpr.RecordOf nested) {
      String inline = Pieces.attr(a);
      boolean fits = width(indent + inline) <= WIDTH;
      if (!fits || out.hasCommentsIn(nested.span().start(), nested.span().end())) {
        String head = Pieces.attrName(a);
        out.open(indent, head, new Output.Range(range.start(), range.line(), nested.span().start() + 1, nested.span().line()), false);
        for (TypeExpr.AttrDecl n : nested.attrs()) {
          attribute(n, indent + INDENT);
        }
        out.close(indent, indent + INDENT, nested.span());
        return;
      }
    }
    out.node(indent, Pieces.attr(a), range, false);
  }

  /** {@code action NAME { … }}: its principal, resource and context lines, in that order. */
  private void action(Decl.ActionDecl a, Output.Range body, boolean glue) {
    Output.Range head = header(body, a.name().span());
    if (a.principals().isEmpty() && a.resources().isEmpty() && a.context().isEmpty()
        && !out.hasCommentsIn(head.end(), a.span().end())) {
      out.node("", Pieces.actionHeader(a) + " {}", body, glue);
      return;
    }
    out.open("", Pieces.actionHeader(a), head, glue);
    a.principalsSpan().ifPresent(s -> out.node(INDENT, Pieces.actionTypes("principal", a.principals()),
        Output.Range.of(s), false));
    a.resourcesSpan().ifPresent(s -> out.node(INDENT, Pieces.actionTypes("resource", a.resources()),
        Output.Range.of(s), false));
    a.context().ifPresent(c -> record("context", c, INDENT, Output.Range.of(c.span()), false, c.span()));
    out.close("", INDENT, a.span());
  }

  // ---- policies

  private void policy(Decl.PolicyDecl p, Output.Range body, boolean glue) {
    Span lastPart = p.resourceType().map(Ident::span).orElse(p.name().span());
    Output.Range head = header(body, lastPart);
    if (p.members().isEmpty() && !out.hasCommentsIn(head.end(), p.span().end())) {
      out.node("", Pieces.policyHeader(p) + " {}", body, glue);
      return;
    }
    out.open("", Pieces.policyHeader(p), head, glue);
    for (PolicyMember m : p.members()) {
      if (m instanceof PolicyMember.Rule r) {
        rule(r, INDENT);
      } else {
        fields((PolicyMember.FieldsBlock) m, INDENT);
      }
    }
    out.close("", INDENT, p.span());
  }

  private void rule(PolicyMember.Rule r, String indent) {
    boolean glue = annotationLine(r.annotations(), indent);
    List<Clause> conditions = r.conditions().stream().map(c -> new Clause(Pieces.keyword(c.kind()), c.expr())).toList();
    Output.Range body = bodyRange(r.annotations(), r.span());
    if (!commentsBetween(r.conditions())) {
      out.node(indent, breakable(indent, Pieces.ruleHead(r), conditions), body, glue);
      return;
    }
    // Comments between the conditions stay between them: each condition is a line of its own.
    // The head ends with its last action or role (`*` without roles: just after the effect word).
    Output.Range head = new Output.Range(body.start(), body.line(), body.start() + 1, body.line());
    List<Ident> words = new ArrayList<>(r.actions());
    words.addAll(r.roles());
    for (Ident n : words) {
      if (n.span().end() > head.end()) {
        head = header(body, n.span());
      }
    }
    out.node(indent, List.of(Pieces.ruleHead(r)), head, glue);
    for (int i = 0; i < conditions.size(); i++) {
      out.node(indent + CONTINUATION, clauseLines(indent + CONTINUATION, conditions.get(i)),
          Output.Range.of(r.conditions().get(i).span()), true);
    }
  }

  private void fields(PolicyMember.FieldsBlock f, String indent) {
    Span s = f.span();
    // The header's own words have no spans; its first character stands for it.
    Output.Range head = new Output.Range(s.start(), s.line(), s.start() + 1, s.line());
    if (f.rules().isEmpty() && !out.hasCommentsIn(s.start(), s.end())) {
      out.node(indent, Pieces.fieldsHeader(f) + " {}", Output.Range.of(s), false);
      return;
    }
    out.open(indent, Pieces.fieldsHeader(f), head, false);
    int pathColumn = 0;
    int effectColumn = 0;
    for (PolicyMember.FieldRule r : f.rules()) {
      pathColumn = Math.max(pathColumn, width(Pieces.fieldRuleHead(r)));
      effectColumn = Math.max(effectColumn, width(r.effect().text()));
    }
    for (PolicyMember.FieldRule r : f.rules()) {
      String line = pad(Pieces.fieldRuleHead(r), pathColumn) + " " + Pieces.fieldRuleTail(r, effectColumn);
      out.node(indent + INDENT, line, Output.Range.of(r.span()), false);
    }
    out.close(indent, indent + INDENT, s);
  }

  // ---- limits and tests

  private void limit(Decl.LimitDecl l, Output.Range body, boolean glue) {
    Span lastPart = l.keys().isEmpty() ? l.intent().span() : l.keys().get(l.keys().size() - 1).span();
    Output.Range head = header(body, lastPart);
    if (l.lines().isEmpty() && l.unavailable().isEmpty() && !out.hasCommentsIn(head.end(), l.span().end())) {
      out.node("", Pieces.limitHeader(l) + " {}", body, glue);
      return;
    }
    out.open("", Pieces.limitHeader(l), head, glue);
    for (Decl.LimitLine line : l.lines()) {
      List<Clause> when = line.when().map(w -> List.of(new Clause("when", w))).orElse(List.of());
      out.node(INDENT, breakable(INDENT, Pieces.limitLineHead(line), when), Output.Range.of(line.span()), false);
    }
    l.unavailable().ifPresent(u -> out.node(INDENT, Pieces.limitUnavailable(u), Output.Range.of(u.span()), false));
    out.close("", INDENT, l.span());
  }

  private void test(Decl.TestDecl t, Output.Range body, boolean glue) {
    Output.Range head = header(body, t.name().span());
    if (t.items().isEmpty() && !out.hasCommentsIn(head.end(), t.span().end())) {
      out.node("", Pieces.testHeader(t) + " {}", body, glue);
      return;
    }
    out.open("", Pieces.testHeader(t), head, glue);
    for (TestItem item : t.items()) {
      out.node(INDENT, Pieces.testItem(item), Output.Range.of(item.span()), false);
    }
    out.close("", INDENT, t.span());
  }

  // ---- line breaking

  /** Whether a comment sits between two of the conditions (not inside one). */
  private boolean commentsBetween(List<Condition> conditions) {
    for (int i = 1; i < conditions.size(); i++) {
      if (out.hasCommentsIn(conditions.get(i - 1).span().end(), conditions.get(i).span().start())) {
        return true;
      }
    }
    return false;
  }

  /** A {@code when} or {@code unless} and its expression. */
  private record Clause(String keyword, Expr expr) {
    String text() {
      return keyword + " " + ExprPrinter.print(expr);
    }
  }

  /**
   * {@code head} followed by its conditions on one line, or, when that is wider than
   * {@link #WIDTH}, each condition on a continuation line (itself broken by {@link #clauseLines}).
   */
  private static List<String> breakable(String indent, String head, List<Clause> conditions) {
    StringBuilder one = new StringBuilder(head);
    conditions.forEach(c -> one.append(' ').append(c.text()));
    if (conditions.isEmpty() || width(indent + one) <= WIDTH) {
      return List.of(one.toString());
    }
    List<String> lines = new ArrayList<>();
    lines.add(head);
    for (Clause c : conditions) {
      List<String> clause = clauseLines(indent + CONTINUATION, c);
      lines.add(indent + CONTINUATION + clause.get(0));
      clause.subList(1, clause.size()).forEach(lines::add);
    }
    return lines;
  }

  /**
   * One condition at {@code indent}: on one line when it fits, else broken before each
   * top-level {@code and}/{@code or}, the operands two spaces further in. The first line is
   * returned without its indentation (the caller writes it), the others with theirs.
   */
  private static List<String> clauseLines(String indent, Clause c) {
    String one = c.text();
    List<String> pieces = ExprPrinter.chain(c.expr());
    if (width(indent + one) <= WIDTH || pieces.size() == 1) {
      return List.of(one);
    }
    List<String> lines = new ArrayList<>();
    lines.add(c.keyword() + " " + pieces.get(0));
    pieces.subList(1, pieces.size()).forEach(p -> lines.add(indent + "  " + p));
    return lines;
  }

  static String pad(String s, int width) {
    int w = width(s);
    return w >= width ? s : s + " ".repeat(width - w);
  }

  static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
