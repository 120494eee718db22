package dev.verdict.sdk;

import dev.verdict.engine.ReloadResult;

/** A client evaluating in this process; it can also be told to read its policy set again. */
public interface EmbeddedVerdictClient extends VerdictClient {
  /**
   * Reads the set again now; a set that does not compile is refused (see the result's
   * diagnostics) and the previous one keeps serving. Blocking.
   */
  ReloadResult reload();
}
