package dev.verdict.lang.eval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A decision as JSON, one shape for every tool that shows one (`verdict eval`, the native
 * HTTP API): {@code decision}, {@code allowed}, {@code reasons}, {@code errors}, {@code
 * readMask}, {@code writeDenied} and, when explained, {@code trace}. Masks are sorted so the
 * output is stable.
 */
public final class DecisionJson {
  private DecisionJson() {}

  /** Writes the decision's members into {@code into} and returns it. */
  public static ObjectNode write(Decision d, ObjectNode into) {
    into.put("decision", d.outcome().word());
    into.put("allowed", d.allowed());
    ArrayNode reasons = into.putArray("reasons");
    d.reasons().forEach(reasons::add);
    ArrayNode errors = into.putArray("errors");
    for (EvalError e : d.errors()) {
      ObjectNode eo = errors.addObject();
      eo.put("rule", e.ruleId());
      eo.put("location", e.span().location());
      eo.put("message", e.message());
    }
    ObjectNode read = into.putObject("readMask");
    d.readMaskText().forEach(read::put);
    ArrayNode write = into.putArray("writeDenied");
    new TreeSet<>(d.writeDenied()).forEach(write::add);
    d.trace().ifPresent(t -> {
      ArrayNode steps = into.putArray("trace");
      for (Trace.Step s : t.steps()) {
        ObjectNode so = steps.addObject();
        so.put("kind", s.kind());
        so.put("id", s.id());
        so.put("location", s.span().location());
        so.put("status", s.status().name().toLowerCase(Locale.ROOT));
        so.put("detail", s.detail());
        if (!s.annotations().isEmpty()) {
          ObjectNode ann = so.putObject("annotations");
          s.annotations().forEach(ann::put);
        }
      }
    });
    return into;
  }

  /**
   * The same members, in the same order, written to {@code g} inside an object the caller has
   * opened: for answers written on every request, without building a tree first.
   */
  public static void write(Decision d, JsonGenerator g) throws IOException {
    g.writeStringField("decision", d.outcome().word());
    g.writeBooleanField("allowed", d.allowed());
    g.writeArrayFieldStart("reasons");
    for (String r : d.reasons()) {
      g.writeString(r);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("errors");
    for (EvalError e : d.errors()) {
      g.writeStartObject();
      g.writeStringField("rule", e.ruleId());
      g.writeStringField("location", e.span().location());
      g.writeStringField("message", e.message());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("readMask");
    for (Map.Entry<String, String> e : d.readMaskText().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeArrayFieldStart("writeDenied");
    for (String path : new TreeSet<>(d.writeDenied())) {
      g.writeString(path);
    }
    g.writeEndArray();
    if (d.trace().isPresent()) {
      g.writeArrayFieldStart("trace");
      for (Trace.Step s : d.trace().get().steps()) {
        g.writeStartObject();
        g.writeStringField("kind", s.kind());
        g.writeStringField("id", s.id());
        g.writeStringField("location", s.span().location());
        g.writeStringField("status", s.status().name().toLowerCase(Locale.ROOT));
        g.writeStringField("detail", s.detail());
        if (!s.annotations().isEmpty()) {
          g.writeObjectFieldStart("annotations");
          for (Map.Entry<String, String> a : s.annotations().entrySet()) {
            g.writeStringField(a.getKey(), a.getValue());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }
}
