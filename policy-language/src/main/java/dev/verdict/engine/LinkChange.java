package dev.verdict.engine;

import dev.verdict.lang.source.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * What adding or removing a link at run time did.
 *
 * @param status what happened
 * @param version the version served afterwards ("" when nothing is loaded)
 * @param problems why a link was refused (V15xx, with its JSON path); empty otherwise
 * @param message a sentence for people: what happened and, when refused, what to do
 * @param link the link added or removed, when one was
 */
public record LinkChange(Status status, String version, List<Diagnostic> problems, String message,
    java.util.Optional<dev.verdict.lang.link.Link> link) {
  public enum Status {
    /** The link was added or removed; the new version serves from the next decision on. */
    DONE,
    /** The link does not fit the set: unknown template, wrong slots, id taken. */
    REFUSED,
    /** No link added at run time has this id. */
    NOT_FOUND,
    /** The bound on links kept in memory (count or bytes) is reached. */
    FULL,
    /** No policy set is loaded yet. */
    NOT_LOADED
  }

  public LinkChange {
    Objects.requireNonNull(status, "status is null");
    Objects.requireNonNull(version, "version is null");
    problems = List.copyOf(problems);
    Objects.requireNonNull(message, "message is null");
    Objects.requireNonNull(link, "link is null");
  }

  public LinkChange(Status status, String version, List<Diagnostic> problems, String message) {
    this(status, version, problems, message, java.util.Optional.empty());
  }
}
