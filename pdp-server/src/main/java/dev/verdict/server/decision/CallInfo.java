package dev.verdict.server.decision;

import java.util.Objects;

/** Who asked, through which endpoint, under which ids: what the decision log records besides the decision. */
public record CallInfo(String caller, String endpoint, String decisionId, String requestId) {
  public CallInfo {
    Objects.requireNonNull(caller, "caller is null");
    Objects.requireNonNull(endpoint, "endpoint is null");
    Objects.requireNonNull(decisionId, "decisionId is null");
    Objects.requireNonNull(requestId, "requestId is null");
  }
}
