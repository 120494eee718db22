package dev.verdict.sdk;

/** Why no answer could be had; its message is what {@link Decision#failure()} says. Never carries a secret. */
final class Failure extends Exception {
  private final boolean retriable;

  Failure(String message, boolean retriable) {
    super(message, null, false, false);
    this.retriable = retriable;
  }

  Failure(String message) {
    this(message, false);
  }

  /** Connection refused or 503: the request was not processed, so asking again is safe. */
  boolean retriable() {
    return retriable;
  }
}
