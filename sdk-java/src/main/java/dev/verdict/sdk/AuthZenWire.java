package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AuthZEN Authorization API 1.0 with Verdict's answer context ({@code docs/api.md}). AuthZEN
 * answers say nothing of caching, so the client's own TTL applies to them.
 */
final class AuthZenWire implements Wire {
  static final String ONE = "/access/v1/evaluation";
  static final String MANY = "/access/v1/evaluations";
  /** AuthZEN answers carry no TTL: the client's cap decides. */
  private static final Duration UNSTATED = Duration.ofDays(1);

  @Override
  public String path(int pairs) {
    return pairs == 1 ? ONE : MANY;
  }

  @Override
  public byte[] request(Principal principal, List<Resource> resources, List<String> actions, JsonNode context) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("subject", principal.toAuthZen());
    body.set("context", context);
    if (resources.size() * actions.size() == 1) {
      body.set("resource", resources.get(0).toAuthZen());
      body.putObject("action").put("name", actions.get(0));
    } else {
      ArrayNode items = body.putArray("evaluations");
      for (Resource r : resources) {
        for (String a : actions) {
          ObjectNode item = items.addObject();
          item.set("resource", r.toAuthZen());
          item.putObject("action").put("name", a);
        }
      }
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Answers.Batch answer(byte[] body, List<Resource> resources, List<String> actions, Masks masks)
      throws Failure {
    JsonNode root = Answers.object(Answers.parse(body), "$");
    int expected = resources.size() * actions.size();
    List<Decision> out = new ArrayList<>(expected);
    String version = "";
    if (expected == 1) {
      Decision d = item(root, "$", masks);
      out.add(d);
      version = d.policyVersion();
    } else {
      JsonNode items = root.get("evaluations");
      if (items == null || !items.isArray() || items.size() != expected) {
        throw Answers.malformed("$.evaluations", "an array of " + expected + " evaluations");
      }
      for (int i = 0; i < expected; i++) {
        Decision d = item(items.get(i), "$.evaluations[" + i + "]", masks);
        out.add(d);
        if (!d.policyVersion().isEmpty()) {
          if (!version.isEmpty() && !version.equals(d.policyVersion())) {
            throw new Failure("malformed answer: one batch answered from two policy versions");
          }
          version = d.policyVersion();
        }
      }
    }
    return new Answers.Batch(out, version, UNSTATED);
  }

  private static Decision item(JsonNode n, String p, Masks masks) throws Failure {
    Answers.object(n, p);
    boolean decision = Answers.bool(n.get("decision"), p + ".decision");
    JsonNode ctx = Answers.object(n.get("context"), p + ".context");
    if (ctx.has("error")) {
      JsonNode e = Answers.object(ctx.get("error"), p + ".context.error");
      return Decision.failed("the decision point refused the item: " + Transport.safe(e.path("code").asText())
          + ": " + Transport.safe(e.path("message").asText()), masks);
    }
    Decision.Outcome o = Answers.outcome(ctx.get("outcome"), p + ".context.outcome");
    if (decision != (o == Decision.Outcome.ALLOW)) {
      throw new Failure("malformed answer: " + p + ".decision contradicts " + p + ".context.outcome");
    }
    Map<String, String> read = Map.of();
    Set<String> write = Set.of();
    if (decision) {
      JsonNode fields = Answers.object(ctx.get("fields"), p + ".context.fields");
      read = Answers.readMask(fields.get("read"), p + ".context.fields.read");
      write = Answers.writeDenied(fields.get("write"), p + ".context.fields.write");
    }
    String id = ctx.hasNonNull("decision_id") ? Answers.text(ctx.get("decision_id"), p + ".context.decision_id") : "";
    return new Decision(o, Answers.texts(ctx.get("reasons"), p + ".context.reasons"),
        Answers.errors(ctx.get("errors"), p + ".context.errors"), read, write,
        Answers.rate(ctx.get("rate"), p + ".context.rate"),
        Answers.text(ctx.get("policy_version"), p + ".context.policy_version"), id, Optional.empty(), masks);
  }
}
