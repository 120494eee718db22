package dev.verdict.server.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.mask.FieldMaskCodec;
import dev.verdict.lang.mask.ReadMask;
import dev.verdict.lang.mask.WriteMask;
import dev.verdict.server.auth.TokenRejected;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.Responses;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The gateway endpoint's answers. Gateways act on the status alone (2xx lets the request
 * through, anything else is returned to the client), so the status carries the decision and
 * the headers carry what the gateway passes on; the JSON body is for people and logs.
 */
final class GatewayAnswers {
  static final String DECISION_ID = "X-Verdict-Decision-Id";
  static final String FIELD_MASK = "X-Verdict-Field-Mask";
  static final String WRITE_DENY = "X-Verdict-Write-Deny";
  static final String ERRORS = "X-Verdict-Errors";
  /** Errors named in the header at most; the decision log has them all. */
  static final int MAX_ERRORS_IN_HEADER = 8;

  private GatewayAnswers() {}

  /** 200 for an allow, 403 for a deny, 429 for a refused rate budget. */
  static void decision(RoutingContext ctx, Decision d, String decisionId) {
    HttpServerResponse r = ctx.response();
    r.putHeader(DECISION_ID, decisionId);
    d.rate().ifPresent(rate -> rateHeaders(r, rate));
    if (!d.errors().isEmpty()) {
      r.putHeader(ERRORS, errors(d));
    }
    ObjectNode body = JsonCodec.object();
    body.put("decision", d.allowed());
    body.put("outcome", d.outcome().word());
    body.put("decisionId", decisionId);
    ArrayNode reasons = body.putArray("reasons");
    d.reasons().forEach(reasons::add);
    body.put("policyVersion", d.policyVersion());
    if (!d.errors().isEmpty()) {
      ArrayNode errors = body.putArray("errors");
      for (EvalError e : d.errors()) {
        errors.addObject().put("code", e.kind().code()).put("rule", e.ruleId()).put("at", e.span().location());
      }
    }
    if (d.allowed()) {
      r.putHeader(FIELD_MASK, FieldMaskCodec.encode(ReadMask.of(d.readMask())));
      r.putHeader(WRITE_DENY, FieldMaskCodec.encode(WriteMask.of(d.writeDenied())));
      Responses.json(ctx, 200, body);
    } else if (d.outcome() == Decision.Outcome.RATE_LIMITED) {
      RateDecision rate = d.rate().orElseThrow();
      r.putHeader("Retry-After", Long.toString(Math.max(1, ceilSeconds(rate.retryAfter()))));
      body.put("message", "the rate limit `" + rate.limit() + "` is exhausted");
      Responses.json(ctx, 429, body);
    } else {
      body.put("message", d.reasons().isEmpty() ? "no rule permits this request" : "a rule forbids this request");
      Responses.json(ctx, 403, body);
    }
  }

  /**
   * 403 for an allowed request whose body sets fields the caller may not write: the same
   * refusal the SDK's servlet filter gives, made at the edge. The fields are named in the body
   * and in {@code X-Verdict-Denied-Fields}; the rate headers stay, since the budget was taken.
   */
  static void deniedFields(RoutingContext ctx, Decision d, java.util.List<String> fields, String decisionId) {
    HttpServerResponse r = ctx.response();
    r.putHeader(DECISION_ID, decisionId);
    r.putHeader(GatewayBody.DENIED_FIELDS, String.join(",", fields));
    d.rate().ifPresent(rate -> rateHeaders(r, rate));
    ObjectNode body = JsonCodec.object();
    body.put("decision", false);
    body.put("outcome", "deny");
    body.put("decisionId", decisionId);
    body.putArray("reasons").add("forbidden-fields");
    ArrayNode list = body.putArray("fields");
    fields.forEach(list::add);
    body.put("message", "the body sets fields the caller may not write: " + String.join(", ", fields));
    body.put("policyVersion", d.policyVersion());
    Responses.json(ctx, 403, body);
  }

  /** 403 for a request no route declares (or whose target the route table refuses to read). */
  static void unrouted(RoutingContext ctx, String reason, String message, String decisionId) {
    ctx.response().putHeader(DECISION_ID, decisionId);
    ObjectNode body = JsonCodec.object();
    body.put("decision", false);
    body.put("outcome", "deny");
    body.put("decisionId", decisionId);
    body.putArray("reasons").add(reason);
    body.put("message", message);
    Responses.json(ctx, 403, body);
  }

  /**
   * 401 with a bearer challenge (RFC 6750 §3): {@code error="invalid_token"} when a token was
   * presented and refused, none when there was no token at all. The message never holds the
   * token.
   */
  static void unauthenticated(RoutingContext ctx, TokenRejected.Reason reason) {
    boolean missing = reason == TokenRejected.Reason.MISSING;
    ctx.response().putHeader("WWW-Authenticate", missing ? "Bearer" : "Bearer error=\"invalid_token\"");
    ObjectNode body = JsonCodec.object();
    ObjectNode err = body.putObject("error");
    err.put("code", "unauthenticated");
    err.put("message", missing ? "a bearer token is required (`Authorization: Bearer …`)"
        : "the bearer token was refused: " + reason.code());
    err.putObject("details").put("reason", reason.code());
    Responses.json(ctx, 401, body);
  }

  /**
   * The decision's evaluation errors for the gateway and its logs, e.g.
   * {@code missing_attribute;rule="accounts.r1";at="accounts.verdict:12:18"}, comma-separated:
   * code, rule and position only, never the message, which may quote attribute values.
   */
  static String errors(Decision d) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (EvalError e : d.errors()) {
      if (n++ == MAX_ERRORS_IN_HEADER) {
        break;
      }
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(e.kind().code()).append(";rule=\"").append(token(e.ruleId())).append("\";at=\"")
          .append(token(e.span().location())).append('"');
    }
    return b.toString();
  }

  /** Printable ASCII without quotes or backslashes, bounded: safe inside a quoted header parameter. */
  private static String token(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
    }
    return b.toString();
  }

  private static void rateHeaders(HttpServerResponse r, RateDecision rate) {
    r.putHeader("RateLimit-Limit", Long.toString(rate.quota()));
    r.putHeader("RateLimit-Remaining", Long.toString(Math.max(0, rate.remaining())));
    r.putHeader("RateLimit-Reset", Long.toString(ceilSeconds(rate.resetAfter())));
  }

  static long ceilSeconds(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return 0;
    }
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }
}
