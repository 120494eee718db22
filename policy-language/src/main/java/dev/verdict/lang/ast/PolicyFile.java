package dev.verdict.lang.ast;

import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Objects;

/** One parsed {@code .verdict} file: its declarations and its comments (kept for the formatter). */
public record PolicyFile(Source source, List<Decl> decls, List<Comment> comments) {
  public PolicyFile {
    Objects.requireNonNull(source, "source is null");
    decls = List.copyOf(decls);
    comments = List.copyOf(comments);
  }

  /** A {@code //} or {@code /* *&#47;} comment, text as written. */
  public record Comment(String text, Span span) {
    public Comment {
      Objects.requireNonNull(text, "text is null");
    }

    public boolean isBlock() {
      return text.startsWith("/*");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyFile f && decls.equals(f.decls);
  }

  @Override
  public int hashCode() {
    return decls.hashCode();
  }
}
