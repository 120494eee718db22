package dev.verdict.sdk;

/** How a remote client speaks to the decision point. */
public enum Protocol {
  /** {@code POST /v1/decisions}: batches in one call, and the server says how long answers may be cached. */
  NATIVE,
  /** The AuthZEN Authorization API 1.0: {@code /access/v1/evaluation} and {@code /access/v1/evaluations}. */
  AUTHZEN
}
