package dev.verdict.server.entities;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;

/** One change of a write: a record stored (replacing any before it) or removed. Immutable. */
public sealed interface EntityChange {
  EntityUid uid();

  /** @param bytes what the record weighs in the store's bound (its JSON, at two bytes a character, plus overhead) */
  record Put(EntityData data, long bytes) implements EntityChange {
    @Override
    public EntityUid uid() {
      return data.uid();
    }
  }

  record Delete(EntityUid uid) implements EntityChange {}
}
