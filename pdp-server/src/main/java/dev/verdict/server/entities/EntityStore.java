package dev.verdict.server.entities;

import dev.verdict.engine.EntitySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Entities;
import dev.verdict.lang.eval.EntityData;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Entity data pushed at runtime (an account's owner, a user's groups), read by every decision
 * between the request's own entities and the policy set's data files. Every write is one
 * revision: a number that only grows, returned to the writer, that a decision may ask to have
 * been reached ({@code X-Verdict-Min-Revision}). Bounded in bytes: a write past the bound is
 * refused whole ({@link StoreFull}).
 */
public interface EntityStore extends AutoCloseable {
  /** What decisions read: this node's copy, answered from memory. */
  EntitySource source();

  /**
   * {@code files} (a policy set's data-file entities) with this node's records over them, as
   * decisions read them: what plans' filters and search run over. A live view.
   */
  Entities over(Entities files);

  /** The record {@code uid}, as this node holds it. */
  Optional<EntityData> get(EntityUid uid);

  /** Up to {@code limit} records of {@code type} with ids after {@code afterId} (null: from the first), by id. */
  List<EntityData> list(String type, String afterId, int limit);

  /** Every record, by type and id (a consistent order for export). */
  void forEach(Consumer<EntityData> each);

  /**
   * Applies {@code changes} as one revision, all or nothing; completes with the revision once
   * this node's copy holds it, or fails with {@link StoreFull}.
   */
  CompletionStage<Long> write(List<EntityChange> changes);

  /** The last revision this node's copy holds. */
  long revision();

  /** Completes when this node's copy holds {@code revision} (at once when it does already). */
  CompletionStage<Void> reached(long revision);

  /** A caller that stopped waiting for {@link #reached}: its waiter is dropped (waiters are bounded). */
  default void forget(CompletionStage<Void> stage) {}

  /** Bytes in use, as the bound counts them. */
  long bytes();

  long maxBytes();

  int size();

  /** "memory" or "cluster": where the records live. */
  String kind();

  /**
   * Why this node's records must not be decided on, if they must not: in a cluster, a member
   * that is loading the cluster's snapshot, or that fell behind the log with no snapshot to
   * catch up from (its records would be partial). Shown on {@code /health/ready}.
   */
  default Optional<String> notReady() {
    return Optional.empty();
  }

  /** Starts following the cluster's writes; called once the first policy set is loaded (records are read with its types). */
  default void start() {}

  @Override
  default void close() {}
}
