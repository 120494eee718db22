package dev.verdict.server.http.v1;

import com.fasterxml.jackson.databind.JsonNode;

/** A member of a request body with the JSON path it came from (a default or an override). */
record Part(JsonNode node, String path) {
  static Part of(JsonNode parent, String name, String parentPath) {
    JsonNode n = parent == null ? null : parent.get(name);
    return new Part(n == null || n.isNull() ? null : n, parentPath + "." + name);
  }

  boolean present() {
    return node != null;
  }

  /** This part when present, else {@code fallback}. */
  Part or(Part fallback) {
    return present() ? this : fallback;
  }
}
