package dev.verdict.lang.data;

import java.util.Objects;

/** The identity of an entity: {@code Type::"id"}. */
public record EntityUid(String type, String id) {
  public EntityUid {
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(id, "id is null");
  }

  @Override
  public String toString() {
    return type + "::" + dev.verdict.lang.syntax.Literals.quote(id);
  }
}
