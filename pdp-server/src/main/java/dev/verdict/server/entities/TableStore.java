package dev.verdict.server.entities;

import dev.verdict.engine.EntitySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Entities;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What every store answers from the {@link EntityTable} it holds in this process: reads,
 * revisions and sizes. The stores differ only in how a write reaches the table.
 */
abstract class TableStore implements EntityStore {
  final EntityTable table;

  TableStore(EntityTable table) {
    this.table = table;
  }

  @Override
  public EntitySource source() {
    return table;
  }

  @Override
  public Entities over(Entities files) {
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
}
