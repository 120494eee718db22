package dev.verdict.lang.syntax;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.Slot;
import dev.verdict.lang.ast.Str;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.ast.TypeExpr;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.grammar.VerdictParser;
import dev.verdict.lang.syntax.grammar.VerdictParser.*;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the AST from a parse tree that has no syntax errors. The only class that touches
 * the generated {@code *Context} types. Problems only visible here (numbers out of range,
 * bad counts) are added to the diagnostics.
 */
final class AstBuilder {
  private final Source source;
  private final List<Diagnostic> diags;

  AstBuilder(Source source, List<Diagnostic> diags) {
    this.source = source;
    this.diags = diags;
  }

  List<Decl> file(FileContext ctx) {
    List<Decl> out = new ArrayList<>();
    for (DeclarationContext d : ctx.declaration()) {
      out.add(declaration(d));
    }
    return out;
  }

  private Span span(ParserRuleContext ctx) {
    return Tokens.span(source, ctx.start, ctx.stop);
  }

  private Span span(Token t) {
    return Tokens.span(source, t);
  }

  private Ident ident(ParserRuleContext ctx) {
    return new Ident(ctx.getText(), span(ctx));
  }

  private Ident ident(Token t) {
    return new Ident(t.getText(), span(t));
  }

  /**
   * An action: a word, or a quoted name such as {@code "view-report"}. Quoted names keep to
   * letters, digits and {@code _ - . :}, the characters of action names in the wild, so that
   * an action never needs escaping in a header, a log line or a URL.
   */
  private Ident actionName(ActionNameContext ctx) {
    if (ctx.STRING() == null) {
      return ident(ctx.name());
    }
    Str quoted = str(ctx.STRING());
    if (!quoted.value().matches("[A-Za-z0-9_][A-Za-z0-9_.:-]*")) {
      diags.add(Diagnostic.of(Code.SYNTAX, quoted.span(), "action name " + Literals.quote(quoted.value())
          + " cannot be used", "an action name starts with a letter, a digit or `_` and holds only those and"
          + " `-`, `.` and `:`"));
    }
    return new Ident(quoted.value(), quoted.span());
  }

  private Str str(TerminalNode node) {
    return new Str(Literals.unquote(node.getText()), span(node.getSymbol()));
  }

  private Decl declaration(DeclarationContext ctx) {
    if (ctx.entityDecl() != null) {
      return entityDecl(ctx.entityDecl());
    } else if (ctx.contextDecl() != null) {
      ContextDeclContext c = ctx.contextDecl();
      return new Decl.ContextDecl(annotations(c.annotation()), recordType(c.recordType()), span(c));
    } else if (ctx.roleDecl() != null) {
      return roleDecl(ctx.roleDecl());
    } else if (ctx.actionsDecl() != null) {
      ActionsDeclContext a = ctx.actionsDecl();
      List<Ident> members = new ArrayList<>();
      for (ActionNameContext n : a.actionName()) {
        members.add(actionName(n));
      }
      return new Decl.ActionGroupDecl(annotations(a.annotation()), ident(a.name()), members, span(a));
    } else if (ctx.actionDecl() != null) {
      return actionDecl(ctx.actionDecl());
    } else if (ctx.policyDecl() != null) {
      return policyDecl(ctx.policyDecl());
    } else if (ctx.routeDecl() != null) {
      return routeDecl(ctx.routeDecl());
    } else if (ctx.limitDecl() != null) {
      return limitDecl(ctx.limitDecl());
    } else if (ctx.intentDecl() != null) {
      IntentDeclContext i = ctx.intentDecl();
      return new Decl.IntentDecl(annotations(i.annotation()), str(i.STRING()), span(i));
    } else {
      return testDecl(ctx.testDecl());
    }
  }

  private List<Annotation> annotations(List<AnnotationContext> list) {
    List<Annotation> out = new ArrayList<>();
    for (AnnotationContext a : list) {
      Optional<Str> value = a.STRING() == null ? Optional.empty() : Optional.of(str(a.STRING()));
      out.add(new Annotation(ident(a.name()), value, span(a)));
    }
    return out;
  }

  // ---- schema

  private Decl.ActionDecl actionDecl(ActionDeclContext ctx) {
    Ident name = actionName(ctx.actionName());
    List<Ident> principals = new ArrayList<>();
    List<Ident> resources = new ArrayList<>();
    Optional<TypeExpr.RecordOf> context = Optional.empty();
    Optional<Span> principalsSpan = Optional.empty();
    Optional<Span> resourcesSpan = Optional.empty();
    for (ActionItemContext item : ctx.actionItem()) {
      String word;
      boolean again;
      if (item instanceof ActionPrincipalsContext p) {
        word = "principal";
        again = principalsSpan.isPresent();
        p.typeName().forEach(t -> principals.add(ident(t)));
        principalsSpan = Optional.of(span(p));
      } else if (item instanceof ActionResourcesContext r) {
        word = "resource";
        again = resourcesSpan.isPresent();
        r.typeName().forEach(t -> resources.add(ident(t)));
        resourcesSpan = Optional.of(span(r));
      } else {
        word = "context";
        again = context.isPresent();
        context = Optional.of(recordType(((ActionContextContext) item).recordType()));
      }
      if (again) {
        // the lines add up, but saying a thing twice is almost always a merge left half done
        diags.add(Diagnostic.of(Code.DUPLICATE, span(item.getStart()), "`" + word + "` is declared twice for action `"
            + name.name() + "`", "write one `" + word + "` line"));
      }
    }
    return new Decl.ActionDecl(annotations(ctx.annotation()), name, principals, resources,
        context, principalsSpan, resourcesSpan, span(ctx));
  }

  private Decl.EntityDecl entityDecl(EntityDeclContext ctx) {
    List<TypeNameContext> names = ctx.typeName();
    List<Ident> parents = new ArrayList<>();
    for (int i = 1; i < names.size(); i++) {
      parents.add(ident(names.get(i)));
    }
    Optional<TypeExpr.RecordOf> attrs = ctx.recordType() == null ? Optional.empty()
        : Optional.of(recordType(ctx.recordType()));
    return new Decl.EntityDecl(annotations(ctx.annotation()), ident(names.get(0)), parents, attrs, span(ctx));
  }

  private TypeExpr.RecordOf recordType(RecordTypeContext ctx) {
    List<TypeExpr.AttrDecl> attrs = new ArrayList<>();
    for (AttrDeclContext a : ctx.attrDecl()) {
      Ident name;
      if (a.STRING() != null) {
        name = quotedName(str(a.STRING()));
      } else {
        name = ident(a.attrName());
      }
      attrs.add(new TypeExpr.AttrDecl(annotations(a.annotation()), name,
          a.QUESTION() != null, typeExpr(a.typeExpr()), span(a)));
    }
    return new TypeExpr.RecordOf(attrs, span(ctx));
  }

  /**
   * A quoted attribute name ({@code "Role-A"}). Dots and brackets are refused: field paths and
   * masks join names with them, so {@code "a.b"} would be read as two names.
   */
  private Ident quotedName(Str quoted) {
    String v = quoted.value();
    if (v.isEmpty() || v.chars().anyMatch(c -> c == '.' || c == '[' || c == ']' || Character.isISOControl(c))) {
      diags.add(Diagnostic.of(Code.SYNTAX, quoted.span(), "attribute name " + Literals.quote(v)
          + " cannot be used", "a quoted attribute name is not empty and holds no `.`, `[`, `]` or control"
          + " characters; these separate the parts of field paths"));
    }
    return new Ident(v, quoted.span());
  }

  private TypeExpr typeExpr(TypeExprContext ctx) {
    if (ctx.recordType() != null) {
      return recordType(ctx.recordType());
    }
    Ident name = ident(ctx.typeName());
    if (ctx.typeExpr() != null) {
      if (!name.name().equals("Set")) {
        diags.add(Diagnostic.of(Code.BAD_TYPE, name.span(), "`" + name.name() + "` takes no type argument",
            "only `Set<T>` has one"));
      }
      return new TypeExpr.SetOf(typeExpr(ctx.typeExpr()), span(ctx));
    }
    if (name.name().equals("Set")) {
      diags.add(Diagnostic.of(Code.BAD_TYPE, name.span(), "`Set` needs an element type", "write e.g. `Set<String>`"));
    }
    return new TypeExpr.Named(name);
  }

  // ---- roles and policies

  private Decl roleDecl(RoleDeclContext ctx) {
    if (ctx instanceof PlainRolesContext p) {
      List<Ident> names = new ArrayList<>();
      for (NameContext n : p.name()) {
        names.add(ident(n));
      }
      return new Decl.PlainRolesDecl(annotations(p.annotation()), names, span(p));
    }
    DerivedRoleContext d = (DerivedRoleContext) ctx;
    Optional<Ident> type = d.typeName() != null ? Optional.of(ident(d.typeName())) : Optional.empty();
    return new Decl.RoleDecl(annotations(d.annotation()), ident(d.name()), type, expr(d.expr()), span(d));
  }

  private Decl.PolicyDecl policyDecl(PolicyDeclContext ctx) {
    Optional<Ident> type = ctx.typeName() != null ? Optional.of(ident(ctx.typeName())) : Optional.empty();
    List<PolicyMember> members = new ArrayList<>();
    for (PolicyMemberContext m : ctx.policyMember()) {
      members.add(m.ruleDecl() != null ? rule(m.ruleDecl()) : fieldsBlock(m.fieldsBlock()));
    }
    return new Decl.PolicyDecl(annotations(ctx.annotation()), ident(ctx.name()), type, members, span(ctx));
  }

  private PolicyMember.Rule rule(RuleDeclContext ctx) {
    PolicyMember.Effect effect = ctx.effect.getType() == VerdictParser.PERMIT
        ? PolicyMember.Effect.PERMIT : PolicyMember.Effect.FORBID;
    boolean any = ctx.actionList().STAR() != null;
    List<Ident> actions = new ArrayList<>();
    for (ActionNameContext n : ctx.actionList().actionName()) {
      actions.add(actionName(n));
    }
    List<Ident> roles = new ArrayList<>();
    for (NameContext n : ctx.name()) {
      roles.add(ident(n));
    }
    List<Condition> conditions = new ArrayList<>();
    List<Slot> slots = new ArrayList<>();
    for (ConditionContext c : ctx.condition()) {
      Condition.Kind kind = c.kind.getType() == VerdictParser.WHEN ? Condition.Kind.WHEN : Condition.Kind.UNLESS;
      Slot slot = kind == Condition.Kind.WHEN ? slot(c.expr()) : null;
      if (slot == null) {
        conditions.add(new Condition(kind, expr(c.expr()), span(c)));
      } else if (slots.stream().anyMatch(s -> s.var() == slot.var())) {
        diags.add(Diagnostic.of(Code.MISPLACED_SLOT, slot.span(), "a template has one condition on `?"
            + slot.name() + "`, this is its second", "keep one: `" + slot.text() + "`"));
      } else {
        slots.add(slot);
      }
    }
    return new PolicyMember.Rule(annotations(ctx.annotation()), effect, any, actions, roles, conditions, span(ctx),
        slots);
  }

  /**
   * A whole {@code when} condition that is a template's slot condition, {@code principal == ?principal}
   * or {@code resource in ?resource}; null for any other condition (whose slots the builder refuses).
   */
  private Slot slot(ExprContext e) {
    if (!(e instanceof PlainExprContext p) || p.orExpr().andExpr().size() != 1
        || p.orExpr().andExpr(0).notExpr().size() != 1) {
      return null;
    }
    RelExprContext rel = p.orExpr().andExpr(0).notExpr(0).relExpr();
    if (rel == null || rel.addExpr().size() != 2 || (rel.IN() == null
        && (rel.relOp() == null || rel.relOp().EQ() == null))) {
      return null;
    }
    String left = rel.addExpr(0).getText();
    String right = rel.addExpr(1).getText();
    for (Expr.VarKind var : new Expr.VarKind[] {Expr.VarKind.PRINCIPAL, Expr.VarKind.RESOURCE}) {
      if (left.equals(var.word()) && right.equals("?" + var.word())) {
        return new Slot(var, rel.IN() != null, span(e));
      }
    }
    return null;
  }

  private PolicyMember.FieldsBlock fieldsBlock(FieldsBlockContext ctx) {
    PolicyMember.Access access = ctx.access.getType() == VerdictParser.READ
        ? PolicyMember.Access.READ : PolicyMember.Access.WRITE;
    List<PolicyMember.FieldRule> rules = new ArrayList<>();
    for (FieldRuleContext r : ctx.fieldRule()) {
      List<FieldPath> paths = new ArrayList<>();
      for (FieldPathContext p : r.fieldPath()) {
        paths.add(fieldPath(p));
      }
      List<PolicyMember.FieldCondition> conditions = new ArrayList<>();
      for (FieldConditionContext fc : r.fieldCondition()) {
        Condition.Kind kind = fc.kind.getType() == VerdictParser.WHEN ? Condition.Kind.WHEN : Condition.Kind.UNLESS;
        if (fc.roleNames() != null) {
          List<Ident> roles = new ArrayList<>();
          for (NameContext n : fc.roleNames().name()) {
            roles.add(ident(n));
          }
          conditions.add(new PolicyMember.FieldCondition.Roles(kind, roles, span(fc)));
        } else {
          conditions.add(new PolicyMember.FieldCondition.When(kind, expr(fc.expr()), span(fc)));
        }
      }
      rules.add(new PolicyMember.FieldRule(annotations(r.annotation()), paths, fieldEffect(r.fieldEffect()), conditions,
          span(r)));
    }
    List<Ident> actions = new ArrayList<>();
    for (ActionNameContext n : ctx.actionName()) {
      actions.add(actionName(n));
    }
    return new PolicyMember.FieldsBlock(access, actions, rules, span(ctx));
  }

  private FieldPath fieldPath(FieldPathContext ctx) {
    List<FieldPath.Segment> segs = new ArrayList<>();
    for (PathSegmentContext s : ctx.pathSegment()) {
      String name = s.STRING() != null ? quotedName(str(s.STRING())).name() : s.attrName().getText();
      segs.add(new FieldPath.Segment(name, s.LBRACKET() != null));
    }
    return new FieldPath(segs, span(ctx));
  }

  private FieldEffect fieldEffect(FieldEffectContext ctx) {
    Span span = span(ctx);
    if (ctx.HIDE() != null) {
      return new FieldEffect(FieldEffect.Kind.HIDE, 0, span);
    } else if (ctx.REDACT() != null) {
      return new FieldEffect(FieldEffect.Kind.REDACT, 0, span);
    } else if (ctx.HASH() != null) {
      return new FieldEffect(FieldEffect.Kind.HASH, 0, span);
    } else if (ctx.DENY() != null) {
      return new FieldEffect(FieldEffect.Kind.DENY, 0, span);
    }
    int keep = smallInt(ctx.NUMBER().getSymbol(), 1, 64, "`partial` keeps between 1 and 64 characters", Code.BAD_PARTIAL);
    return new FieldEffect(FieldEffect.Kind.PARTIAL, keep, span);
  }

  /** An integer token within [min, max], or a diagnostic and {@code min}. */
  private int smallInt(Token t, int min, int max, String rangeHelp, Code code) {
    String text = t.getText();
    try {
      BigDecimal v = new BigDecimal(text);
      if (v.scale() > 0 && v.stripTrailingZeros().scale() > 0) {
        diags.add(Diagnostic.of(code, span(t), "`" + text + "` is not a whole number", rangeHelp));
        return min;
      }
      if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
        diags.add(Diagnostic.of(code, span(t), "`" + text + "` is out of range", rangeHelp));
        return min;
      }
      return v.intValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      diags.add(Diagnostic.of(code, span(t), "`" + text + "` is not a whole number", rangeHelp));
      return min;
    }
  }

  // ---- routes and limits

  private Decl.RouteDecl routeDecl(RouteDeclContext ctx) {
    Ident method = ident(ctx.method);
    Ident type = ident(ctx.typeName());
    RouteIdContext id = ctx.routeId();
    Optional<Ident> idParam = id != null && id.name() != null ? Optional.of(ident(id.name())) : Optional.empty();
    Optional<Str> fixedId = id != null && id.STRING() != null ? Optional.of(str(id.STRING())) : Optional.empty();
    Ident action = actionName(ctx.actionName());
    Str template = str(ctx.STRING(0));
    Optional<Str> intent = ctx.STRING().size() > 1 ? Optional.of(str(ctx.STRING(1))) : Optional.empty();
    return new Decl.RouteDecl(annotations(ctx.annotation()), method, template, type, idParam, fixedId, action, intent,
        span(ctx));
  }

  private Decl.LimitDecl limitDecl(LimitDeclContext ctx) {
    List<Expr> keys = new ArrayList<>();
    for (ExprContext e : ctx.expr()) {
      keys.add(expr(e));
    }
    List<Decl.LimitLine> lines = new ArrayList<>();
    for (LimitLineContext l : ctx.limitLine()) {
      long count = smallInt(l.NUMBER(0).getSymbol(), 0, 1_000_000_000, "a rate is a whole number up to 1000000000", Code.BAD_RATE);
      Optional<Long> burst = l.BURST() != null
          ? Optional.of((long) smallInt(l.NUMBER(1).getSymbol(), 0, 1_000_000_000, "a burst is a whole number up to 1000000000", Code.BAD_RATE))
          : Optional.empty();
      Optional<Expr> when = l.expr() != null ? Optional.of(expr(l.expr())) : Optional.empty();
      lines.add(new Decl.LimitLine(count, duration(l.DURATION().getSymbol()), burst, when, span(l), l.WINDOW() != null));
    }
    Optional<Decl.OnUnavailable> unavailable = ctx.limitUnavailable() == null ? Optional.empty()
        : Optional.of(new Decl.OnUnavailable(ident(ctx.limitUnavailable().name(0)), ident(ctx.limitUnavailable().name(1)),
            span(ctx.limitUnavailable())));
    return new Decl.LimitDecl(annotations(ctx.annotation()), ident(ctx.name()), str(ctx.STRING()), keys, lines,
        unavailable, span(ctx));
  }

  private Expr.DurationLit duration(Token t) {
    Duration d = Literals.duration(t.getText());
    return new Expr.DurationLit(t.getText(), d == null ? Duration.ZERO : d, span(t));
  }

  // ---- tests

  private Decl.TestDecl testDecl(TestDeclContext ctx) {
    List<TestItem> items = new ArrayList<>();
    for (TestItemContext item : ctx.testItem()) {
      items.add(testItem(item));
    }
    return new Decl.TestDecl(annotations(ctx.annotation()), str(ctx.STRING()), items, span(ctx));
  }

  private TestItem testItem(TestItemContext ctx) {
    Span span = span(ctx);
    if (ctx instanceof TestPrincipalContext p) {
      return entitySpec(TestItem.EntityRole.PRINCIPAL, p.entitySpec(), span);
    } else if (ctx instanceof TestResourceContext r) {
      return entitySpec(TestItem.EntityRole.RESOURCE, r.entitySpec(), span);
    } else if (ctx instanceof TestEntityContext e) {
      return entitySpec(TestItem.EntityRole.ENTITY, e.entitySpec(), span);
    } else if (ctx instanceof TestContextContext c) {
      return new TestItem.ContextSpec(recordLiteral(c.recordLiteral()), span);
    } else if (ctx instanceof TestActionContext a) {
      return new TestItem.ActionSpec(actionName(a.actionName()), span);
    } else if (ctx instanceof TestRequestContext r) {
      return new TestItem.RequestSpec(ident(r.name()), str(r.STRING()), span);
    } else if (ctx instanceof TestExpectContext e) {
      return new TestItem.Expect(expectation(e.expectation()), span);
    }
    TestRepeatContext r = (TestRepeatContext) ctx;
    int count = smallInt(r.NUMBER().getSymbol(), 1, 10_000, "`repeat` takes a count from 1 to 10000", Code.BAD_TEST);
    return new TestItem.Repeat(count, r.which.getType() == VerdictParser.LAST, expectation(r.expectation()), span);
  }

  private TestItem.EntitySpec entitySpec(TestItem.EntityRole role, EntitySpecContext ctx, Span span) {
    Optional<Ident> type = Optional.empty();
    Optional<Str> id = Optional.empty();
    if (ctx.typeName() != null) {
      type = Optional.of(ident(ctx.typeName()));
      id = Optional.of(str(ctx.STRING()));
    }
    List<TestItem.EntityRef> parents = new ArrayList<>();
    for (EntityRefContext r : ctx.entityRef()) {
      parents.add(new TestItem.EntityRef(ident(r.typeName()), str(r.STRING()), span(r)));
    }
    Optional<Expr.RecordLit> attrs = ctx.recordLiteral() == null ? Optional.empty()
        : Optional.of(recordLiteral(ctx.recordLiteral()));
    return new TestItem.EntitySpec(role, type, id, parents, attrs, span);
  }

  private TestItem.Expectation expectation(ExpectationContext ctx) {
    TestItem.Outcome outcome = switch (ctx.outcome.getType()) {
      case VerdictParser.ALLOW -> TestItem.Outcome.ALLOW;
      case VerdictParser.DENY -> TestItem.Outcome.DENY;
      default -> TestItem.Outcome.RATE_LIMITED;
    };
    List<Str> because = new ArrayList<>();
    for (TerminalNode s : ctx.STRING()) {
      because.add(str(s));
    }
    List<TestItem.FieldExpect> fields = new ArrayList<>();
    for (FieldExpectContext f : ctx.fieldExpect()) {
      PolicyMember.Access access = f.access != null && f.access.getType() == VerdictParser.WRITE
          ? PolicyMember.Access.WRITE : PolicyMember.Access.READ;
      List<TestItem.FieldExpectEntry> entries = new ArrayList<>();
      for (FieldExpectEntryContext e : f.fieldExpectEntry()) {
        entries.add(new TestItem.FieldExpectEntry(fieldPath(e.fieldPath()), fieldEffect(e.fieldEffect())));
      }
      fields.add(new TestItem.FieldExpect(access, entries, span(f)));
    }
    return new TestItem.Expectation(outcome, because, fields, span(ctx));
  }

  // ---- expressions

  Expr expr(ExprContext ctx) {
    if (ctx instanceof IfExprContext i) {
      return new Expr.If(expr(i.expr(0)), expr(i.expr(1)), expr(i.expr(2)), span(i));
    }
    return or(((PlainExprContext) ctx).orExpr());
  }

  // Operator chains fetch their operands once: ANTLR's indexed accessors scan every child,
  // which made a 10,000-operand chain quadratic.
  private Expr or(OrExprContext ctx) {
    List<AndExprContext> operands = ctx.andExpr();
    Expr left = and(operands.get(0));
    for (int i = 1; i < operands.size(); i++) {
      Expr right = and(operands.get(i));
      left = new Expr.Binary(Expr.BinaryOp.OR, left, right, left.span().to(right.span()));
    }
    return left;
  }

  private Expr and(AndExprContext ctx) {
    List<NotExprContext> operands = ctx.notExpr();
    Expr left = not(operands.get(0));
    for (int i = 1; i < operands.size(); i++) {
      Expr right = not(operands.get(i));
      left = new Expr.Binary(Expr.BinaryOp.AND, left, right, left.span().to(right.span()));
    }
    return left;
  }

  private Expr not(NotExprContext ctx) {
    if (ctx.NOT() != null) {
      return new Expr.Unary(Expr.UnaryOp.NOT, not(ctx.notExpr()), span(ctx));
    }
    return rel(ctx.relExpr());
  }

  private Expr rel(RelExprContext ctx) {
    Expr left = add(ctx.addExpr(0));
    Span span = span(ctx);
    if (ctx.relOp() != null) {
      Expr.BinaryOp op = switch (ctx.relOp().start.getType()) {
        case VerdictParser.EQ -> Expr.BinaryOp.EQ;
        case VerdictParser.NE -> Expr.BinaryOp.NE;
        case VerdictParser.LT -> Expr.BinaryOp.LT;
        case VerdictParser.LE -> Expr.BinaryOp.LE;
        case VerdictParser.GT -> Expr.BinaryOp.GT;
        default -> Expr.BinaryOp.GE;
      };
      return new Expr.Binary(op, left, add(ctx.addExpr(1)), span);
    }
    if (ctx.IS() != null) {
      Optional<Expr> in = ctx.addExpr().size() > 1 ? Optional.of(add(ctx.addExpr(1))) : Optional.empty();
      return new Expr.Is(left, ident(ctx.typeName()), in, span);
    }
    if (ctx.IN() != null && ctx.group != null) {
      return new Expr.Binary(Expr.BinaryOp.IN, left, new Expr.NameRef(ident(ctx.group), span(ctx.group)), span);
    }
    if (ctx.IN() != null) {
      return new Expr.Binary(Expr.BinaryOp.IN, left, add(ctx.addExpr(1)), span);
    }
    if (ctx.HAS() != null) {
      if (ctx.attrName() != null) {
        return new Expr.Has(left, ident(ctx.attrName()), false, span);
      }
      TerminalNode s = ctx.STRING();
      return new Expr.Has(left, new Ident(Literals.unquote(s.getText()), span(s.getSymbol())), true, span);
    }
    if (ctx.LIKE() != null) {
      TerminalNode s = ctx.STRING();
      return new Expr.Like(left, new Expr.StringLit(Literals.unquote(s.getText()), span(s.getSymbol())), span);
    }
    return left;
  }

  private Expr add(AddExprContext ctx) {
    List<NegExprContext> operands = ctx.negExpr();
    List<AddOpContext> ops = ctx.addOp();
    Expr left = neg(operands.get(0));
    for (int i = 1; i < operands.size(); i++) {
      Expr right = neg(operands.get(i));
      Expr.BinaryOp op = ops.get(i - 1).PLUS() != null ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB;
      left = new Expr.Binary(op, left, right, left.span().to(right.span()));
    }
    return left;
  }

  private Expr neg(NegExprContext ctx) {
    if (ctx.MINUS() != null) {
      Expr operand = neg(ctx.negExpr());
      // A minus before a number literal is part of the number: -5 is a literal, not 0 - 5.
      if (operand instanceof Expr.NumberLit n) {
        return new Expr.NumberLit(n.value().negate(), span(ctx));
      }
      return new Expr.Unary(Expr.UnaryOp.NEG, operand, span(ctx));
    }
    return postfix(ctx.postfixExpr());
  }

  private Expr postfix(PostfixExprContext ctx) {
    Expr e = primary(ctx.primary());
    for (PostfixContext p : ctx.postfix()) {
      Span span = e.span().to(span(p));
      if (p instanceof GetAttrContext g) {
        e = new Expr.GetAttr(e, ident(g.attrName()), span);
      } else if (p instanceof MethodCallContext m) {
        List<Expr> args = new ArrayList<>();
        args.add(e);
        for (ExprContext a : m.expr()) {
          args.add(expr(a));
        }
        e = new Expr.Call(ident(m.attrName()), args, true, span);
      } else {
        e = new Expr.Index(e, expr(((IndexContext) p).expr()), span);
      }
    }
    return e;
  }

  private Expr primary(PrimaryContext ctx) {
    Span span = span(ctx);
    if (ctx instanceof StringLitContext s) {
      return new Expr.StringLit(Literals.unquote(s.STRING().getText()), span);
    } else if (ctx instanceof NumberLitContext n) {
      return new Expr.NumberLit(Literals.number(n.NUMBER().getText()), span);
    } else if (ctx instanceof DurationLitContext d) {
      return duration(d.DURATION().getSymbol());
    } else if (ctx instanceof BoolLitContext b) {
      return new Expr.BoolLit(b.TRUE() != null, span);
    } else if (ctx instanceof VariableContext v) {
      Expr.VarKind kind = switch (v.var.getType()) {
        case VerdictParser.PRINCIPAL -> Expr.VarKind.PRINCIPAL;
        case VerdictParser.RESOURCE -> Expr.VarKind.RESOURCE;
        case VerdictParser.CONTEXT -> Expr.VarKind.CONTEXT;
        default -> Expr.VarKind.ACTION;
      };
      return new Expr.Var(kind, span);
    } else if (ctx instanceof SlotContext v) {
      String var = v.slotVar.getText();
      diags.add(Diagnostic.of(Code.MISPLACED_SLOT, span, "`?" + var + "` may only appear in a template's own condition `when "
          + var + " == ?" + var + "` (or `in`)", "write the slot condition on its own: `when " + var + " == ?" + var
          + "`, then the rule's other conditions"));
      return new Expr.Var(v.slotVar.getType() == VerdictParser.PRINCIPAL ? Expr.VarKind.PRINCIPAL
          : Expr.VarKind.RESOURCE, span);
    } else if (ctx instanceof CallContext c) {
      List<Expr> args = new ArrayList<>();
      for (ExprContext a : c.expr()) {
        args.add(expr(a));
      }
      return new Expr.Call(ident(c.name()), args, span);
    } else if (ctx instanceof EntityLitContext e) {
      return new Expr.EntityLit(ident(e.typeName()), Literals.unquote(e.STRING().getText()), span);
    } else if (ctx instanceof ParensContext p) {
      return expr(p.expr());
    } else if (ctx instanceof ListLitContext l) {
      List<Expr> items = new ArrayList<>();
      for (ExprContext a : l.expr()) {
        items.add(expr(a));
      }
      return new Expr.ListLit(items, span);
    }
    return recordLiteral(((RecordLitContext) ctx).recordLiteral());
  }

  private Expr.RecordLit recordLiteral(RecordLiteralContext ctx) {
    List<Expr.Entry> entries = new ArrayList<>();
    for (RecordEntryContext e : ctx.recordEntry()) {
      Ident key;
      boolean quoted = e.STRING() != null;
      if (quoted) {
        key = new Ident(Literals.unquote(e.STRING().getText()), span(e.STRING().getSymbol()));
      } else {
        key = ident(e.attrName());
      }
      entries.add(new Expr.Entry(key, quoted, expr(e.expr())));
    }
    return new Expr.RecordLit(entries, span(ctx));
  }
}
