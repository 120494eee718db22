package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a policy body holds: rules, and blocks of field rules. */
public sealed interface PolicyMember {
  Span span();

  enum Effect {
    PERMIT("permit"), FORBID("forbid");

    private final String word;

    Effect(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /**
   * {@code permit read, update to owner when … unless …}. {@code actions} is empty when the
   * rule says {@code *}; {@code roles} is empty when it has no {@code to} (any principal).
   */
  record Rule(List<Annotation> annotations, Effect effect, boolean anyAction, List<Ident> actions,
      List<Ident> roles, List<Condition> conditions, Span span, List<Slot> slots) implements PolicyMember {
    public Rule {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(effect, "effect is null");
      actions = List.copyOf(actions);
      roles = List.copyOf(roles);
      conditions = List.copyOf(conditions);
      slots = List.copyOf(slots);
      if (anyAction != actions.isEmpty()) {
        throw new IllegalArgumentException("a rule names actions or `*`, not both");
      }
    }

    /** A rule without slots (not a template). */
    public Rule(List<Annotation> annotations, Effect effect, boolean anyAction, List<Ident> actions,
        List<Ident> roles, List<Condition> conditions, Span span) {
      this(annotations, effect, anyAction, actions, roles, conditions, span, List.of());
    }

    /**
     * Whether the rule is a template: it has slot conditions ({@code when principal == ?principal}),
     * written before its other conditions, and applies only through links.
     */
    public boolean isTemplate() {
      return !slots.isEmpty();
    }

    /** The slot condition on {@code var}, if the template has one. */
    public java.util.Optional<Slot> slot(Expr.VarKind var) {
      return slots.stream().filter(s -> s.var() == var).findFirst();
    }

    /** The rule's id: its {@code @id} annotation, else {@code policy:line}. */
    public String id(String policyName) {
      return Annotation.find(annotations, "id").orElse(policyName + ":" + span.line());
    }
  }

  enum Access {
    READ("read"), WRITE("write");

    private final String word;

    Access(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /**
   * {@code fields read { … }} or {@code fields write on update { … }}. {@code actions} is empty
   * when the block applies to every action (no {@code on}); it may name action groups.
   */
  record FieldsBlock(Access access, List<Ident> actions, List<FieldRule> rules, Span span) implements PolicyMember {
    public FieldsBlock {
      Objects.requireNonNull(access, "access is null");
      actions = List.copyOf(actions);
      rules = List.copyOf(rules);
    }

    /** A block for every action. */
    public FieldsBlock(Access access, List<FieldRule> rules, Span span) {
      this(access, List.of(), rules, span);
    }
  }

  /**
   * {@code balance, holder.ssn: redact unless owner, auditor}. The effect applies when every
   * condition is met, as a rule's conditions combine; no condition: always.
   */
  record FieldRule(List<Annotation> annotations, List<FieldPath> paths, FieldEffect effect,
      List<FieldCondition> conditions, Span span) {
    public FieldRule {
      annotations = List.copyOf(annotations);
      paths = List.copyOf(paths);
      Objects.requireNonNull(effect, "effect is null");
      conditions = List.copyOf(conditions);
    }

    /** A rule with at most one condition. */
    public FieldRule(List<Annotation> annotations, List<FieldPath> paths, FieldEffect effect,
        Optional<FieldCondition> condition, Span span) {
      this(annotations, paths, effect, condition.map(List::of).orElse(List.of()), span);
    }
  }

  /** The condition of a field rule: either a list of roles or an expression. */
  sealed interface FieldCondition {
    Condition.Kind kind();

    Span span();

    /** {@code unless owner, auditor}: the principal holds one of the roles. */
    record Roles(Condition.Kind kind, List<Ident> roles, Span span) implements FieldCondition {
      public Roles {
        Objects.requireNonNull(kind, "kind is null");
        roles = List.copyOf(roles);
      }
    }

    /** {@code when principal.type == "service"}. */
    record When(Condition.Kind kind, Expr expr, Span span) implements FieldCondition {
      public When {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(expr, "expr is null");
      }
    }
  }
}
