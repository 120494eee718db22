package dev.verdict.lang.link;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/** A link as read, with where it was written: its span in a file and its JSON path. */
public record LinkRecord(Link link, Span span, String jsonPath) {
  public LinkRecord {
    Objects.requireNonNull(link, "link is null");
    Objects.requireNonNull(span, "span is null");
    Objects.requireNonNull(jsonPath, "jsonPath is null");
  }
}
