package dev.verdict.server.http.v1;

import dev.verdict.lang.eval.Request;

/**
 * One AuthZEN evaluation read into the engine's request, with where its subject, resource and
 * context came from (a batch's defaults or its n-th item's own), so that what the engine
 * refuses in its own terms is reported in the caller's ({@code inAuthZenTerms}). The paths are
 * spelt out only when asked for, which is only for an error: a batch does not make three strings
 * per item to answer.
 *
 * @param item the item of the batch ({@code $.evaluations[item]}), or {@link #TOP_LEVEL}
 * @param own which of {@link #SUBJECT_OWN}, {@link #RESOURCE_OWN}, {@link #CONTEXT_OWN} the item
 *     itself carries; the others are the top level's
 */
record Evaluation(Request request, int item, int own) {
  static final String SUBJECT = "$.subject";
  static final String RESOURCE = "$.resource";
  static final String CONTEXT = "$.context";
  static final int TOP_LEVEL = -1;
  static final int SUBJECT_OWN = 1;
  static final int RESOURCE_OWN = 2;
  static final int CONTEXT_OWN = 4;

  /** A request whose parts all came from the top level of the body. */
  static Evaluation topLevel(Request request) {
    return new Evaluation(request, TOP_LEVEL, 0);
  }

  String subjectPath() {
    return path(SUBJECT_OWN, SUBJECT);
  }

  String resourcePath() {
    return path(RESOURCE_OWN, RESOURCE);
  }

  String contextPath() {
    return path(CONTEXT_OWN, CONTEXT);
  }

  private String path(int part, String topLevel) {
    return (own & part) == 0 ? topLevel : "$.evaluations[" + item + "]" + topLevel.substring(1);
  }
}
