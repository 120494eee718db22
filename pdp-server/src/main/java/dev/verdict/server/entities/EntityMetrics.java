package dev.verdict.server.entities;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The entity store's gauges (bytes, bound, records, revision) and its refusals for lack of room. */
public final class EntityMetrics {
  private final Counter refused;

  public EntityMetrics(MeterRegistry registry, EntityStore store) {
    Gauge.builder("verdict.entity.store.bytes", store, EntityStore::bytes)
        .description("Bytes the entity store's records take on this node, as its bound counts them")
        .register(registry);
    Gauge.builder("verdict.entity.store.max.bytes", store, EntityStore::maxBytes)
        .description("The entity store's bound, in bytes").register(registry);
    Gauge.builder("verdict.entity.store.records", store, EntityStore::size)
        .description("Records in the entity store").register(registry);
    Gauge.builder("verdict.entity.store.revision", store, EntityStore::revision)
        .description("The last revision this node's copy of the entity store holds").register(registry);
    this.refused = Counter.builder("verdict.entity.store.refused")
        .description("Writes refused because the entity store was full").register(registry);
  }

  void refused() {
    refused.increment();
  }
}
