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
final class LocalEntityStore implements EntityStore {
  private final EntityTable table;

  LocalEntityStore(long maxBytes) {
    this.table = new EntityTable(maxBytes, "m");
  }

  @Override
  public EntitySource source() {
    return table;
  }

  @Override
  public dev.verdict.lang.eval.Entities over(dev.verdict.lang.eval.Entities files) {
    return new LayeredEntities(table, files);
  }

  @Override
  public Optional<EntityData> get(EntityUid uid) {
    return Optional.ofNullable(table.find(uid));
  }

  @Override
  public List<EntityData> list(String type, String afterId, int limit) {
    return table.list(type, afterId, limit);
  }

  @Override
  public void forEach(Consumer<EntityData> each) {
    table.forEach(each);
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
  public long revision() {
    return table.revision();
  }

  @Override
  public CompletionStage<Void> reached(long revision) {
    return table.reached(revision);
  }

  @Override
  public void forget(CompletionStage<Void> stage) {
    table.forget(stage);
  }

  @Override
  public long bytes() {
    return table.bytes();
  }

  @Override
  public long maxBytes() {
    return table.maxBytes();
  }

  @Override
  public int size() {
    return table.size();
  }

  @Override
  public String kind() {
    return "memory";
  }
}
