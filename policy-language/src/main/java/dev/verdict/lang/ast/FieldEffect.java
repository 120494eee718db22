package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/** What a field rule does: {@code hide}, {@code redact}, {@code hash}, {@code partial(n)} or {@code deny}. */
public record FieldEffect(Kind kind, int keep, Span span) {

  /** Kinds, strictest first among the read effects (hide > redact > hash > partial). */
  public enum Kind {
    HIDE("hide", 4), REDACT("redact", 3), HASH("hash", 2), PARTIAL("partial", 1), DENY("deny", 5);

    private final String word;
    private final int strictness;

    Kind(String word, int strictness) {
      this.word = word;
      this.strictness = strictness;
    }

    public String word() {
      return word;
    }

    public int strictness() {
      return strictness;
    }

    public boolean isRead() {
      return this != DENY;
    }
  }

  public FieldEffect {
    Objects.requireNonNull(kind, "kind is null");
  }

  public static FieldEffect of(Kind kind) {
    return new FieldEffect(kind, 0, Span.NONE);
  }

  public String text() {
    return kind == Kind.PARTIAL ? "partial(" + keep + ")" : kind.word();
  }

  @Override
  public String toString() {
    return text();
  }
}
