package dev.verdict.server.entities;

import dev.verdict.engine.EntitySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The entity store of a server without a cluster: this process's memory, bounded in bytes.
 * Revisions count from 1 at every start (the records do not outlive the process).
 */
final class LocalEntityStore extends TableStore {
  LocalEntityStore(long maxBytes) {
    super(new EntityTable(maxBytes, "m"));
  }

  @Override
  public CompletionStage<Long> write(List<EntityChange> changes) {
    try {
      return CompletableFuture.completedFuture(table.apply(changes, 0));
    } catch (StoreFull e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String kind() {
    return "memory";
  }
}
