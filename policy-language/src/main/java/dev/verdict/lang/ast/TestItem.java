package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One line of a {@code test} block. */
public sealed interface TestItem {
  Span span();

  enum EntityRole {
    PRINCIPAL("principal"), RESOURCE("resource"), ENTITY("entity");

    private final String word;

    EntityRole(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** A reference to an entity written {@code Group "admins"} or {@code Group::"admins"}. */
  record EntityRef(Ident type, Str id, Span span) {
    public EntityRef {
      Objects.requireNonNull(type, "type is null");
      Objects.requireNonNull(id, "id is null");
    }
  }

  /**
   * {@code principal User "alice" in Group "eng" { roles: ["user"] }}, {@code resource Account
   * "a1" { … }} or {@code entity Group "eng" in Group "all"}. Type and id may be left out of
   * a principal ({@code principal { id: "alice" }}: type {@code User}, id from the record).
   */
  record EntitySpec(EntityRole role, Optional<Ident> type, Optional<Str> id, List<EntityRef> parents,
      Optional<Expr.RecordLit> attrs, Span span) implements TestItem {
    public EntitySpec {
      Objects.requireNonNull(role, "role is null");
      Objects.requireNonNull(type, "type is null");
      Objects.requireNonNull(id, "id is null");
      parents = List.copyOf(parents);
      Objects.requireNonNull(attrs, "attrs is null");
    }
  }

  record ContextSpec(Expr.RecordLit attrs, Span span) implements TestItem {
    public ContextSpec {
      Objects.requireNonNull(attrs, "attrs is null");
    }
  }

  record ActionSpec(Ident action, Span span) implements TestItem {
    public ActionSpec {
      Objects.requireNonNull(action, "action is null");
    }
  }

  /** {@code request POST "/accounts/a1/transfers"}: resource, action and intent come from the routes. */
  record RequestSpec(Ident method, Str path, Span span) implements TestItem {
    public RequestSpec {
      Objects.requireNonNull(method, "method is null");
      Objects.requireNonNull(path, "path is null");
    }
  }

  record Expect(Expectation expectation, Span span) implements TestItem {
    public Expect {
      Objects.requireNonNull(expectation, "expectation is null");
    }
  }

  /** {@code repeat 6 expect last rate_limited} or {@code repeat 3 expect all allow}. */
  record Repeat(int count, boolean lastOnly, Expectation expectation, Span span) implements TestItem {
    public Repeat {
      Objects.requireNonNull(expectation, "expectation is null");
    }
  }

  enum Outcome {
    ALLOW("allow"), DENY("deny"), RATE_LIMITED("rate_limited");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** {@code allow because "r1" fields { balance: redact } fields write { owner: deny }}. */
  record Expectation(Outcome outcome, List<Str> because, List<FieldExpect> fields, Span span) {
    public Expectation {
      Objects.requireNonNull(outcome, "outcome is null");
      because = List.copyOf(because);
      fields = List.copyOf(fields);
    }
  }

  /** The exact mask expected for one access; {@code fields { … }} means read. */
  record FieldExpect(PolicyMember.Access access, List<FieldExpectEntry> entries, Span span) {
    public FieldExpect {
      Objects.requireNonNull(access, "access is null");
      entries = List.copyOf(entries);
    }
  }

  record FieldExpectEntry(FieldPath path, FieldEffect effect) {
    public FieldExpectEntry {
      Objects.requireNonNull(path, "path is null");
      Objects.requireNonNull(effect, "effect is null");
    }
  }
}
