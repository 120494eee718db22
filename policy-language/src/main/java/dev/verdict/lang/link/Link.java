package dev.verdict.lang.link;

import dev.verdict.lang.data.EntityUid;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A template filled in: {@code share this document with bob as viewer} is the link
 * {@code {"id": "d1-bob", "template": "viewer", "slots": {"principal": User::"bob", "resource": Document::"d1"}}}.
 *
 * @param id unique among the links of a set; decisions name it beside the template's id
 * @param template the {@code @id} of the template rule
 * @param slots {@code principal} and/or {@code resource}, each an entity
 */
public record Link(String id, String template, Map<String, EntityUid> slots) {
  public Link {
    Objects.requireNonNull(id, "id is null");
    Objects.requireNonNull(template, "template is null");
    slots = java.util.Collections.unmodifiableMap(new TreeMap<>(slots));
  }

  /** The id a decision's reasons and trace give a rule applied through this link: {@code template#link}. */
  public String ruleId() {
    return template + "#" + id;
  }

  /** A rough size in bytes, for the bound on links kept in memory. */
  public long estimatedBytes() {
    long n = 64 + 2L * (id.length() + template.length());
    for (EntityUid u : slots.values()) {
      n += 48 + 2L * (u.type().length() + u.id().length());
    }
    return n;
  }
}
