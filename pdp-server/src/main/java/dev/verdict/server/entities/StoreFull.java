package dev.verdict.server.entities;

/** A write that would take the store past its memory bound; nothing of it was applied. */
public final class StoreFull extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreFull(String message) {
    super(message, null, false, false);
  }

  StoreFull(long needed, long used, long max) {
    super("the entity store is full: the write needs " + needed + " more bytes, " + used + " of " + max
        + " are in use; delete records or raise VERDICT_ENTITY_STORE_BYTES", null, false, false);
  }
}
