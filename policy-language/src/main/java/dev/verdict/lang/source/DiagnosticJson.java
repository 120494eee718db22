package dev.verdict.lang.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/** Diagnostics as JSON for tools and editors (one object per diagnostic). */
public final class DiagnosticJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DiagnosticJson() {}

  public static ArrayNode toJson(Collection<Diagnostic> diagnostics) {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    for (Diagnostic d : diagnostics) {
      arr.add(toJson(d));
    }
    return arr;
  }

  public static ObjectNode toJson(Diagnostic d) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("code", d.code().id());
    o.put("severity", d.severity().label());
    o.put("message", d.message());
    d.help().ifPresent(h -> o.put("help", h));
    o.set("location", location(d.span()));
    d.jsonPath().ifPresent(p -> o.put("jsonPath", p));
    if (!d.related().isEmpty()) {
      ArrayNode rel = o.putArray("related");
      for (Diagnostic.Related r : d.related()) {
        ObjectNode ro = rel.addObject();
        ro.put("note", r.note());
        ro.set("location", location(r.span()));
      }
    }
    return o;
  }

  private static ObjectNode location(Span s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("file", s.file());
    if (s.hasPosition()) {
      o.put("line", s.line());
      o.put("column", s.column());
      o.put("endLine", s.endLine());
      o.put("endColumn", s.endColumn());
    }
    return o;
  }

  public static String render(Collection<Diagnostic> diagnostics) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(diagnostics));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("diagnostics could not be written as JSON", e);
    }
  }
}
