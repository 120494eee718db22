package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code POST /v1/decisions}, as {@code docs/api.md} describes it. */
final class NativeWire implements Wire {
  static final String PATH = "/v1/decisions";

  @Override
  public String path(int pairs) {
    return PATH;
  }

  @Override
  public byte[] request(Principal principal, List<Resource> resources, List<String> actions, JsonNode context) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("principal", principal.toNative());
    ArrayNode rs = body.putArray("resources");
    resources.forEach(r -> rs.add(r.toNative()));
    ArrayNode as = body.putArray("actions");
    actions.forEach(as::add);
    body.set("context", context);
    return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public Answers.Batch answer(byte[] body, List<Resource> resources, List<String> actions, Masks masks)
      throws Failure {
    JsonNode root = Answers.object(Answers.parse(body), "$");
    String version = Answers.text(root.get("policyVersion"), "$.policyVersion");
    long ttl = Answers.number(root.get("cacheTtlSeconds"), "$.cacheTtlSeconds");
    String id = root.hasNonNull("decisionId") ? Answers.text(root.get("decisionId"), "$.decisionId") : "";
    JsonNode results = root.get("results");
    int expected = resources.size() * actions.size();
    if (results == null || !results.isArray() || results.size() != expected) {
      throw Answers.malformed("$.results", "an array of " + expected + " results");
    }
    List<Decision> out = new ArrayList<>(expected);
    int i = 0;
    for (Resource r : resources) {
      for (String action : actions) {
        String p = "$.results[" + i + "]";
        JsonNode n = Answers.object(results.get(i++), p);
        JsonNode res = Answers.object(n.get("resource"), p + ".resource");
        if (!r.type().equals(Answers.text(res.get("type"), p + ".resource.type"))
            || !r.id().equals(Answers.text(res.get("id"), p + ".resource.id"))
            || !action.equals(Answers.text(n.get("action"), p + ".action"))) {
          throw new Failure("malformed answer: " + p + " answers another resource or action than was asked");
        }
        Decision.Outcome o = Answers.outcome(n.get("decision"), p + ".decision");
        if (Answers.bool(n.get("allowed"), p + ".allowed") != (o == Decision.Outcome.ALLOW)) {
          throw new Failure("malformed answer: " + p + ".allowed contradicts " + p + ".decision");
        }
        out.add(new Decision(o, Answers.texts(n.get("reasons"), p + ".reasons"),
            Answers.errors(n.get("errors"), p + ".errors"), Answers.readMask(n.get("readMask"), p + ".readMask"),
            Answers.writeDenied(n.get("writeDenied"), p + ".writeDenied"), Answers.rate(n.get("rate"), p + ".rate"),
            version, id, Optional.empty(), masks));
      }
    }
    return new Answers.Batch(out, version, Duration.ofSeconds(Math.max(0, ttl)));
  }
}
