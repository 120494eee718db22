package dev.verdict.lang.reference;

/** A condition the reference model cannot evaluate; the rule then fails closed. */
final class RefError extends RuntimeException {
  RefError(String message) {
    super(message, null, false, false);
  }
}
