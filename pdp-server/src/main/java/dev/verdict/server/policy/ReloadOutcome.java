package dev.verdict.server.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What the last load of the policy directory did.
 *
 * @param ok whether the set compiled (and is now served)
 * @param changed whether the served version changed
 * @param version the version served after the attempt
 * @param diagnostics errors and warnings as JSON (see {@code DiagnosticJson})
 * @param rendered the same diagnostics as text with source lines, for logs
 * @param removed when a new version is served, what it no longer has compared with the one it
 *     replaced; otherwise {@link Removals#NONE}
 */
public record ReloadOutcome(boolean ok, boolean changed, Instant at, String version, ArrayNode diagnostics,
    String rendered, Removals removed) {
  public ReloadOutcome {
    Objects.requireNonNull(removed, "removed is null");
    Objects.requireNonNull(at, "at is null");
    Objects.requireNonNull(version, "version is null");
    diagnostics = diagnostics.deepCopy();
    Objects.requireNonNull(rendered, "rendered is null");
  }

  @Override
  public ArrayNode diagnostics() {
    return diagnostics.deepCopy();
  }
}
