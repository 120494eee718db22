package dev.verdict.lang.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.source.Span;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entity of an entity data file: its uid, attribute values as JSON (an entity reference
 * is {@code {"__entity": {"type", "id"}}}), its direct parents, where it is written and its
 * JSON path ({@code $[3]}). Numbers with a fraction are exact decimals. The JSON values are
 * shared, not copied: treat them as read-only.
 */
public record EntityRecord(EntityUid uid, Map<String, JsonNode> attrs, List<EntityUid> parents, Span span,
    String jsonPath) {
  public EntityRecord {
    Objects.requireNonNull(uid, "uid is null");
    attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
    parents = List.copyOf(parents);
    Objects.requireNonNull(span, "span is null");
    Objects.requireNonNull(jsonPath, "jsonPath is null");
  }
}
