package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.mask.ReadMask;
import dev.verdict.lang.mask.WriteMask;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads the server's answers strictly: anything missing or of the wrong shape is a {@link Failure} naming its JSON path. */
final class Answers {
  /** The decisions of one call, the policy version that gave them and how long they may be reused. */
  record Batch(List<Decision> decisions, String policyVersion, Duration ttl) {}

  private Answers() {}

  static JsonNode parse(byte[] body) throws Failure {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n == null || n.isMissingNode()) {
        throw new Failure("the answer is empty");
      }
      return n;
    } catch (IOException e) {
      throw new Failure("the answer is not valid JSON: " + Transport.safe(firstLine(e.getMessage())));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static JsonNode object(JsonNode n, String path) throws Failure {
    if (n == null || !n.isObject()) {
      throw malformed(path, "an object");
    }
    return n;
  }

  static String text(JsonNode n, String path) throws Failure {
    if (n == null || !n.isTextual()) {
      throw malformed(path, "a string");
    }
    return n.textValue();
  }

  static long number(JsonNode n, String path) throws Failure {
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
      throw malformed(path, "a whole number");
    }
    return n.longValue();
  }

  static boolean bool(JsonNode n, String path) throws Failure {
    if (n == null || !n.isBoolean()) {
      throw malformed(path, "true or false");
    }
    return n.booleanValue();
  }

  static List<String> texts(JsonNode n, String path) throws Failure {
    if (n == null || !n.isArray()) {
      throw malformed(path, "an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      out.add(text(n.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  static Decision.Outcome outcome(JsonNode n, String path) throws Failure {
    switch (text(n, path)) {
      case "allow":
        return Decision.Outcome.ALLOW;
      case "deny":
        return Decision.Outcome.DENY;
      case "rate_limited":
        return Decision.Outcome.RATE_LIMITED;
      default:
        throw malformed(path, "allow, deny or rate_limited");
    }
  }

  /** {@code {"path": "effect"}}, each path and effect as a read mask takes them. */
  static Map<String, String> readMask(JsonNode n, String path) throws Failure {
    object(n, path);
    Map<String, String> out = new LinkedHashMap<>();
    var it = n.fields();
    while (it.hasNext()) {
      var e = it.next();
      out.put(e.getKey(), text(e.getValue(), path + "." + e.getKey()));
    }
    try {
      Map<String, dev.verdict.lang.ast.FieldEffect> effects = new LinkedHashMap<>();
      out.forEach((k, v) -> effects.put(k, Masks.parse(v)));
      ReadMask.of(effects);
    } catch (IllegalArgumentException e) {
      throw new Failure("malformed answer: " + path + ": " + Transport.safe(e.getMessage()));
    }
    return out;
  }

  static Set<String> writeDenied(JsonNode n, String path) throws Failure {
    Set<String> out = new TreeSet<>(texts(n, path));
    try {
      WriteMask.of(out);
    } catch (IllegalArgumentException e) {
      throw new Failure("malformed answer: " + path + ": " + Transport.safe(e.getMessage()));
    }
    return out;
  }

  /** {@code null} or {@code {"intent", "name", "limit", "remaining", "reset", "retry_after"}}. */
  static Optional<Rate> rate(JsonNode n, String path) throws Failure {
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    object(n, path);
    return Optional.of(new Rate(text(n.get("intent"), path + ".intent"), text(n.get("name"), path + ".name"),
        number(n.get("limit"), path + ".limit"), number(n.get("remaining"), path + ".remaining"),
        Duration.ofSeconds(number(n.get("reset"), path + ".reset")),
        Duration.ofSeconds(number(n.get("retry_after"), path + ".retry_after"))));
  }

  /** {@code [{"rule", "message"}]} as {@code rule: message}; absent is none. */
  static List<String> errors(JsonNode n, String path) throws Failure {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw malformed(path, "an array");
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = object(n.get(i), path + "[" + i + "]");
      out.add(text(e.get("rule"), path + "[" + i + "].rule") + ": " + text(e.get("message"), path + "[" + i + "].message"));
    }
    return out;
  }

  static Failure malformed(String path, String expected) {
    return new Failure("malformed answer: " + path + " must be " + expected);
  }
}
