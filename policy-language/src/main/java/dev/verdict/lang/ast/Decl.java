package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A top-level declaration of a policy file. */
public sealed interface Decl {
  Span span();

  List<Annotation> annotations();

  /**
   * {@code entity Document in Folder, Drive { owner: User, … }}: the schema of an entity
   * type and the types that may be its parents.
   */
  record EntityDecl(List<Annotation> annotations, Ident name, List<Ident> parentTypes,
      Optional<TypeExpr.RecordOf> attrs, Span span) implements Decl {
    public EntityDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      parentTypes = List.copyOf(parentTypes);
      Objects.requireNonNull(attrs, "attrs is null");
    }
  }

  /** {@code context { mfa: Bool, ip: Ip }}: the schema of the request context. */
  record ContextDecl(List<Annotation> annotations, TypeExpr.RecordOf attrs, Span span) implements Decl {
    public ContextDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(attrs, "attrs is null");
    }
  }

  /** {@code role owner on Account when …}; {@code resourceType} empty for {@code on *}. */
  record RoleDecl(List<Annotation> annotations, Ident name, Optional<Ident> resourceType,
      Expr condition, Span span) implements Decl {
    public RoleDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(resourceType, "resourceType is null");
      Objects.requireNonNull(condition, "condition is null");
    }
  }

  /**
   * {@code role admin, auditor}: plain roles, carried in {@code principal.roles}. Once a set
   * declares any, every role a rule names must be declared, so misspelt roles are caught.
   */
  record PlainRolesDecl(List<Annotation> annotations, List<Ident> names, Span span) implements Decl {
    public PlainRolesDecl {
      annotations = List.copyOf(annotations);
      names = List.copyOf(names);
      if (names.isEmpty()) {
        throw new IllegalArgumentException("a role declaration names at least one role");
      }
    }
  }

  /** {@code actions write = update, delete, transfer}. */
  record ActionGroupDecl(List<Annotation> annotations, Ident name, List<Ident> members, Span span)
      implements Decl {
    public ActionGroupDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      members = List.copyOf(members);
    }
  }

  /**
   * {@code action transfer { principal: User  resource: Account  context { amount: Number } }}:
   * the types one action applies to (empty: any) and the context it carries besides the global
   * one (empty: nothing more). {@code principalsSpan} and {@code resourcesSpan} cover the lines
   * that declare them.
   */
  record ActionDecl(List<Annotation> annotations, Ident name, List<Ident> principals, List<Ident> resources,
      Optional<TypeExpr.RecordOf> context, Optional<Span> principalsSpan, Optional<Span> resourcesSpan, Span span)
      implements Decl {
    public ActionDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      principals = List.copyOf(principals);
      resources = List.copyOf(resources);
      Objects.requireNonNull(context, "context is null");
      Objects.requireNonNull(principalsSpan, "principalsSpan is null");
      Objects.requireNonNull(resourcesSpan, "resourcesSpan is null");
    }
  }

  /** {@code policy accounts on Account { rules and field blocks }}; type empty for {@code on *}. */
  record PolicyDecl(List<Annotation> annotations, Ident name, Optional<Ident> resourceType,
      List<PolicyMember> members, Span span) implements Decl {
    public PolicyDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(resourceType, "resourceType is null");
      members = List.copyOf(members);
    }

    public List<PolicyMember.Rule> rules() {
      return members.stream().filter(PolicyMember.Rule.class::isInstance).map(PolicyMember.Rule.class::cast).toList();
    }

    public List<PolicyMember.FieldsBlock> fieldBlocks() {
      return members.stream().filter(PolicyMember.FieldsBlock.class::isInstance)
          .map(PolicyMember.FieldsBlock.class::cast).toList();
    }
  }

  /**
   * {@code route POST "/accounts/{id}/transfers" -> Account[id].transfer intent "funds.transfer"}.
   * {@code idParam} names the bracketed parameter ({@code [id]}, or {@code [route]} for the
   * template as the id), {@code fixedId} a quoted id ({@code ["session"]}); both are empty for
   * collection routes ({@code -> Account.list}).
   */
  record RouteDecl(List<Annotation> annotations, Ident method, Str template, Ident resourceType,
      Optional<Ident> idParam, Optional<Str> fixedId, Ident action, Optional<Str> intent, Span span)
      implements Decl {
    /** {@code [route]}: the route's template is the resource's id (unless a parameter is so named). */
    public static final String TEMPLATE_ID = "route";

    public RouteDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(method, "method is null");
      Objects.requireNonNull(template, "template is null");
      Objects.requireNonNull(resourceType, "resourceType is null");
      Objects.requireNonNull(idParam, "idParam is null");
      Objects.requireNonNull(fixedId, "fixedId is null");
      Objects.requireNonNull(action, "action is null");
      Objects.requireNonNull(intent, "intent is null");
      if (idParam.isPresent() && fixedId.isPresent()) {
        throw new IllegalArgumentException("a route binds a parameter or a fixed id, not both");
      }
    }

    public RouteDecl(List<Annotation> annotations, Ident method, Str template, Ident resourceType,
        Optional<Ident> idParam, Ident action, Optional<Str> intent, Span span) {
      this(annotations, method, template, resourceType, idParam, Optional.empty(), action, intent, span);
    }

    /** A collection route: neither a parameter nor a fixed id in brackets. */
    public boolean isCollection() {
      return idParam.isEmpty() && fixedId.isEmpty();
    }
  }

  /**
   * {@code intent "reports.export"}: an intent that no route declares, because only services
   * ask about it (with {@code context.intent}); limits may name it.
   */
  record IntentDecl(List<Annotation> annotations, Str intent, Span span) implements Decl {
    public IntentDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(intent, "intent is null");
    }
  }

  /** {@code limit transfers on intent "funds.transfer" by principal.id { lines }}. */
  record LimitDecl(List<Annotation> annotations, Ident name, Str intent, List<Expr> keys,
      List<LimitLine> lines, Optional<OnUnavailable> unavailable, Span span) implements Decl {
    public LimitDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(intent, "intent is null");
      keys = List.copyOf(keys);
      lines = List.copyOf(lines);
      Objects.requireNonNull(unavailable, "unavailable is null");
    }

    public LimitDecl(List<Annotation> annotations, Ident name, Str intent, List<Expr> keys, List<LimitLine> lines,
        Span span) {
      this(annotations, name, intent, keys, lines, Optional.empty(), span);
    }
  }

  /**
   * {@code on unavailable deny|allow|local}: what the limit does when its budget store cannot
   * answer. {@code word} should read {@code unavailable}; the checker says so when it does not.
   */
  record OnUnavailable(Ident word, Ident mode, Span span) {
    public OnUnavailable {
      Objects.requireNonNull(word, "word is null");
      Objects.requireNonNull(mode, "mode is null");
      Objects.requireNonNull(span, "span is null");
    }
  }

  /**
   * {@code 5 per 1m burst 5 when …}; {@code burst} empty means equal to {@code count}.
   * {@code window} marks {@code 5 per 1m window}: at most {@code count} in any period.
   */
  record LimitLine(long count, Expr.DurationLit period, Optional<Long> burst, Optional<Expr> when,
      Span span, boolean window) {
    public LimitLine {
      Objects.requireNonNull(period, "period is null");
      Objects.requireNonNull(burst, "burst is null");
      Objects.requireNonNull(when, "when is null");
      if (window && burst.isPresent()) {
        throw new IllegalArgumentException("a window line has no burst");
      }
    }

    /** A token-bucket line. */
    public LimitLine(long count, Expr.DurationLit period, Optional<Long> burst, Optional<Expr> when, Span span) {
      this(count, period, burst, when, span, false);
    }
  }

  /** {@code test "name" { principal …; resource …; action …; expect … }}. */
  record TestDecl(List<Annotation> annotations, Str name, List<TestItem> items, Span span) implements Decl {
    public TestDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      items = List.copyOf(items);
    }
  }
}
