package dev.verdict.server.http.v1;

import dev.verdict.lang.eval.Request;

/**
 * One AuthZEN evaluation read into the engine's request, with the JSON paths its subject,
 * resource and context came from (a batch's defaults or its n-th item's own), so that what
 * the engine refuses in its own terms is reported in the caller's ({@code inAuthZenTerms}).
 */
record Evaluation(Request request, String subjectPath, String resourcePath, String contextPath) {
  static final String SUBJECT = "$.subject";
  static final String RESOURCE = "$.resource";
  static final String CONTEXT = "$.context";

  /** A request whose parts all came from the top level of the body. */
  static Evaluation topLevel(Request request) {
    return new Evaluation(request, SUBJECT, RESOURCE, CONTEXT);
  }
}
