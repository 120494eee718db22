package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Entities an {@link EntitySource} holds, layered between the request's and the data files'. */
class EntitySourceTest {
  static final Map<String, String> FILES = Map.of(
      "docs.verdict", """
          role admin, viewer
          role owner on Doc when resource.owner == principal.id
          policy docs on Doc {
            @id("owner") permit read to owner
            @id("viewer") permit read to viewer
            @id("folder") permit read when resource in Folder::"public"
          }
          """,
      "docs.entities.json", """
          [{"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": "alice"}, "parents": []},
           {"uid": {"type": "User", "id": "vic"}, "attrs": {"roles": ["viewer"]}, "parents": []},
           {"uid": {"type": "Folder", "id": "f1"}, "attrs": {}, "parents": []}]
          """);

  /** A source over a map, with a revision bumped by every write. */
  static class MapSource implements EntitySource {
    final Map<EntityUid, EntityData> data = new ConcurrentHashMap<>();
    final AtomicLong revision = new AtomicLong();
    boolean broken;

    void put(EntityData d) {
      data.put(d.uid(), d);
      revision.incrementAndGet();
    }

    @Override
    public EntityData find(EntityUid uid) {
      if (broken) {
        throw new Unavailable("the cluster cannot be read");
      }
      return data.get(uid);
    }

    @Override
    public boolean isEmpty() {
      return data.isEmpty();
    }

    @Override
    public String cacheTag() {
      return "r" + revision.get();
    }
  }

  static EntityUid uid(String type, String id) {
    return new EntityUid(type, id);
  }

  static EntityData stored(String type, String id, Map<String, Value> attrs, List<EntityUid> parents) {
    return EntityData.of(uid(type, id), attrs, parents);
  }

  static EntityData ref(String type, String id) {
    return new EntityData(uid(type, id), Map.of(), List.of(), false);
  }

  static EntityData user(String id, String... roles) {
    Set<Value> rs = new java.util.HashSet<>();
    for (String r : roles) {
      rs.add(new Value.Str(r));
    }
    return new EntityData(uid("User", id), Map.of("roles", new Value.SetOf(rs)), List.of(), false);
  }

  static Decision read(Engine e, EntityData principal, EntityData doc) {
    return e.decide(new Request(principal, doc, "read", Map.of(), List.of()));
  }

  static Engine engine(MapSource source, DecisionCache cache) {
    Engine.Builder b = Engine.builder(PolicySource.files(FILES)).entities(source);
    if (cache != null) {
      b.cache(cache);
    }
    return b.buildOrThrow();
  }

  @Test
  void theStoreAnswersForEntitiesTheRequestDoesNotCarryAndWinsOverDataFiles() {
    MapSource source = new MapSource();
    Engine e = engine(source, null);
    assertThat(read(e, user("bob"), ref("Doc", "d2")).allowed()).isFalse();
    source.put(stored("Doc", "d2", Map.of("owner", new Value.Str("bob")), List.of()));
    assertThat(read(e, user("bob"), ref("Doc", "d2")).allowed()).isTrue();
    // d1 is alice's in the data file; the store gives it to bob
    assertThat(read(e, user("alice"), ref("Doc", "d1")).allowed()).isTrue();
    source.put(stored("Doc", "d1", Map.of("owner", new Value.Str("bob")), List.of()));
    assertThat(read(e, user("alice"), ref("Doc", "d1")).allowed()).isFalse();
    assertThat(read(e, user("bob"), ref("Doc", "d1")).allowed()).isTrue();
    // the request wins over the store
    EntityData given = new EntityData(uid("Doc", "d1"), Map.of("owner", new Value.Str("alice")), List.of(), false);
    assertThat(read(e, user("alice"), given).allowed()).isTrue();
  }

  @Test
  void storedParentsAnswerInWithCyclesRefused() {
    MapSource source = new MapSource();
    Engine e = engine(source, null);
    source.put(stored("Doc", "d3", Map.of(), List.of(uid("Folder", "f1"))));
    assertThat(read(e, user("zed"), ref("Doc", "d3")).allowed()).isFalse();
    // f1 has no parents in the data file; the store puts it in the public folder
    source.put(stored("Folder", "f1", Map.of(), List.of(uid("Folder", "public"))));
    assertThat(read(e, user("zed"), ref("Doc", "d3")).allowed()).isTrue();
    source.put(stored("Folder", "f1", Map.of(), List.of(uid("Folder", "f2"))));
    source.put(stored("Folder", "f2", Map.of(), List.of(uid("Folder", "f1"))));
    Decision d = read(e, user("zed"), ref("Doc", "d3"));
    assertThat(d.allowed()).isFalse();
    assertThat(d.errors()).extracting(EvalError::kind).contains(EvalError.Kind.HIERARCHY);
  }

  @Test
  void aStoreThatCannotAnswerDeniesAndSaysSo() {
    MapSource source = new MapSource();
    source.put(stored("Doc", "d2", Map.of("owner", new Value.Str("bob")), List.of()));
    source.broken = true;
    Decision d = read(engine(source, null), user("bob"), ref("Doc", "d2"));
    assertThat(d.allowed()).isFalse();
    assertThat(d.errors()).extracting(EvalError::kind).containsExactly(EvalError.Kind.ENTITIES_UNAVAILABLE);
  }

  @Test
  void aWriteIsNeverAnsweredFromAStaleCachedDecision() {
    MapSource source = new MapSource();
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine e = engine(source, cache);
    source.put(stored("Doc", "d2", Map.of("owner", new Value.Str("bob")), List.of()));
    assertThat(read(e, user("bob"), ref("Doc", "d2")).allowed()).isTrue();
    assertThat(read(e, user("bob"), ref("Doc", "d2")).allowed()).isTrue();
    assertThat(cache.stats().hits()).isEqualTo(1);
    source.put(stored("Doc", "d2", Map.of("owner", new Value.Str("carol")), List.of()));
    assertThat(read(e, user("bob"), ref("Doc", "d2")).allowed()).isFalse();
  }

  /** The asynchronous path (the server's) keys its cache lookups by the store's revision too. */
  @Test
  void aWriteIsNeverAnsweredFromAStaleCachedDecisionOnTheAsynchronousPath() {
    MapSource source = new MapSource();
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine e = engine(source, cache);
    source.put(stored("Doc", "d2", Map.of("owner", new Value.Str("bob")), List.of()));
    Request bobReads = new Request(user("bob"), ref("Doc", "d2"), "read", Map.of(), List.of());
    assertThat(e.decideAsync(bobReads, DecideOptions.ENFORCE).toCompletableFuture().join().allowed()).isTrue();
    assertThat(e.decideAsync(bobReads, DecideOptions.ENFORCE).toCompletableFuture().join().allowed()).isTrue();
    assertThat(cache.stats().hits()).isEqualTo(1);
    source.put(stored("Doc", "d2", Map.of("owner", new Value.Str("carol")), List.of()));
    assertThat(e.decideAsync(bobReads, DecideOptions.ENFORCE).toCompletableFuture().join().allowed()).isFalse();
  }

  @Test
  void aSourceWithoutATagIsNeverCached() {
    MapSource source = new MapSource() {
      @Override
      public String cacheTag() {
        return null;
      }
    };
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine e = engine(source, cache);
    source.put(stored("Doc", "d2", Map.of("owner", new Value.Str("bob")), List.of()));
    read(e, user("bob"), ref("Doc", "d2"));
    read(e, user("bob"), ref("Doc", "d2"));
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(0, 0));
  }

  @Test
  void aDecisionMayReadAnotherSourceThanTheEngines() {
    MapSource engines = new MapSource();
    MapSource fresh = new MapSource();
    fresh.put(stored("Doc", "d2", Map.of("owner", new Value.Str("bob")), List.of()));
    Engine e = engine(engines, null);
    Request r = new Request(user("bob"), ref("Doc", "d2"), "read", Map.of(), List.of());
    assertThat(e.decide(r).allowed()).isFalse();
    assertThat(e.decide(r, DecideOptions.ENFORCE.withEntities(fresh)).allowed()).isTrue();
  }

  @Test
  void rolesAreTheUnionOfTheRequestsTheStoresAndTheDataFiles() {
    MapSource source = new MapSource();
    Engine e = engine(source, null);
    // vic is a viewer in the data file; a token with other roles (or none) keeps it
    assertThat(read(e, user("vic", "other"), ref("Doc", "d9")).allowed()).isTrue();
    assertThat(read(e, user("vic"), ref("Doc", "d9")).allowed()).isTrue();
    assertThat(read(e, ref("User", "vic"), ref("Doc", "d9")).allowed()).isTrue();
    source.put(stored("User", "sam", Map.of("roles", new Value.SetOf(Set.of(new Value.Str("viewer")))), List.of()));
    assertThat(read(e, user("sam", "admin"), ref("Doc", "d9")).allowed()).isTrue();
    assertThat(read(e, user("ann", "admin"), ref("Doc", "d9")).allowed()).isFalse();
  }
}
