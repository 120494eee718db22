package dev.verdict.server.entities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.TestServer;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entity store over real HTTP on one node (in-process store): writes, revisions, limits, decisions. */
class EntityStoreApiTest {
  static final String DATA_KEY = "data-key-0123456789abcdef";
  static final String DECIDE_KEY = "decide-key-0123456789abcdef";
  @TempDir
  static Path tmp;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("verdict.entity.revision.wait.millis", "300");
    System.setProperty("verdict.entity.store.bytes", "2000000");
    Path policies = tmp.resolve("policies");
    Files.createDirectories(policies);
    Files.writeString(policies.resolve("schema.verdict"), """
        entity User { tenant: String }
        entity Account { owner: String, tenant: String, balance?: Number, ssn?: String }
        """);
    s = new TestServer(tmp, c -> c.withApiKeys(List.of(
        new ApiKey("pusher", ApiKeys.digest(DATA_KEY), Set.of(Scope.DATA)),
        new ApiKey("app", ApiKeys.digest(DECIDE_KEY), Set.of(Scope.DECIDE)))));
  }

  @AfterAll
  static void stop() {
    System.clearProperty("verdict.entity.revision.wait.millis");
    System.clearProperty("verdict.entity.store.bytes");
    if (s != null) {
      s.close();
    }
  }

  static TestServer.Response put(String path, String body) {
    return s.send(HttpRequest.newBuilder(URI.create(s.base() + path)).PUT(HttpRequest.BodyPublishers.ofString(body)),
        "X-API-Key", DATA_KEY, "Content-Type", "application/json");
  }

  static TestServer.Response decide(String subject, String account, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "X-API-Key";
    all[1] = DECIDE_KEY;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return s.post("/access/v1/evaluation", "{\"subject\":{\"type\":\"User\",\"id\":\"" + subject
        + "\",\"properties\":{\"tenant\":\"t1\",\"roles\":[]}},\"resource\":{\"type\":\"Account\",\"id\":\""
        + account + "\"},\"action\":{\"name\":\"read\"}}", all);
  }

  @Test
  void aStoredOwnerDecidesAndTheRevisionIsHonoured() throws Exception {
    assertThat(decide("bob", "s1").json().get("decision").asBoolean()).isFalse();
    TestServer.Response w = put("/v1/entities/Account/s1", "{\"attrs\":{\"owner\":\"bob\",\"tenant\":\"t1\"}}");
    assertThat(w.status()).as(w.body()).isEqualTo(200);
    String rev = w.json().get("revision").asText();
    TestServer.Response d = decide("bob", "s1", MinRevision.HEADER, rev);
    assertThat(d.json().get("decision").asBoolean()).as(d.body()).isTrue();
    assertThat(decide("alice", "s1").json().get("decision").asBoolean()).isFalse();
    TestServer.Response got = s.get("/v1/entities/Account/s1", "X-API-Key", DATA_KEY);
    assertThat(got.json().get("attrs").get("owner").asText()).isEqualTo("bob");
    // a revision this node has not reached: a clear 503 after a bounded wait, never an older answer
    TestServer.Response stale = decide("bob", "s1", MinRevision.HEADER, Long.toString(Long.parseLong(rev) + 1000));
    assertThat(stale.status()).isEqualTo(503);
    assertThat(stale.json().get("error").get("code").asText()).isEqualTo("revision_not_reached");
  }

  @Test
  void schemaViolationsAre400WithTheirPath() {
    TestServer.Response r = put("/v1/entities/Account/bad", "{\"attrs\":{\"owner\":\"bob\",\"balance\":\"lots\"}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("details").get("path").asText()).isEqualTo("$.attrs.balance");
    assertThat(s.get("/v1/entities/Account/bad", "X-API-Key", DATA_KEY).status()).isEqualTo(404);
  }

  @Test
  void writesNeedTheDataScope() {
    TestServer.Response r = s.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/entities/Account/x"))
        .PUT(HttpRequest.BodyPublishers.ofString("{}")), "X-API-Key", DECIDE_KEY);
    assertThat(r.status()).isEqualTo(403);
  }

  @Test
  void importReportsABadLineAndLoadsTheRestOfItsBatch() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      b.append(i == 75 ? "{\"uid\":{\"type\":\"Account\",\"id\":\"i75\"},\"attrs\":{\"balance\":\"x\"}}"
          : "{\"uid\":{\"type\":\"Account\",\"id\":\"i" + i + "\"},\"attrs\":{\"owner\":\"u" + i + "\"}}").append('\n');
    }
    TestServer.Response r = s.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/entities/import"))
        .POST(HttpRequest.BodyPublishers.ofString(b.toString())), "X-API-Key", DATA_KEY,
        "Content-Type", "application/x-ndjson");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("loaded").asLong()).isEqualTo(149);
    assertThat(r.json().get("errors").get(0).get("line").asLong()).isEqualTo(76);
    assertThat(r.json().get("errors").get(0).get("path").asText()).isEqualTo("$.attrs.balance");
    TestServer.Response page = s.get("/v1/entities/Account?limit=10&after=i1", "X-API-Key", DATA_KEY);
    assertThat(page.json().get("entities")).hasSize(10);
    assertThat(page.json().get("entities").get(0).get("uid").get("id").asText()).isEqualTo("i10");
    TestServer.Response export = s.get("/v1/entities/export?type=Account", "X-API-Key", DATA_KEY);
    assertThat(export.body().lines().filter(l -> l.contains("\"i1")).count()).isGreaterThanOrEqualTo(61);
  }

  @Test
  void anImportThatEndsOnAFullBatchIsAnsweredAfterItsLastWrite() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < EntityHandlers.IMPORT_BATCH; i++) {
      b.append("{\"uid\":{\"type\":\"User\",\"id\":\"f").append(i).append("\"},\"attrs\":{}}\n");
    }
    TestServer.Response r = s.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/entities/import"))
        .POST(HttpRequest.BodyPublishers.ofString(b.toString())), "X-API-Key", DATA_KEY);
    assertThat(r.json().get("loaded").asLong()).as(r.body()).isEqualTo(EntityHandlers.IMPORT_BATCH);
    assertThat(s.get("/v1/entities/User/f999", "X-API-Key", DATA_KEY, MinRevision.HEADER,
        r.json().get("revision").asText()).status()).isEqualTo(200);
  }

  @Test
  void theMemoryBoundRefusesWith507AndAMetric() {
    String big = "x".repeat(30_000);
    int status = 200;
    for (int i = 0; i < 100 && status == 200; i++) {
      status = put("/v1/entities/Account/big" + i, "{\"attrs\":{\"owner\":\"" + big + "\"}}").status();
    }
    assertThat(status).isEqualTo(507);
    String metrics = s.get("/metrics").body();
    assertThat(metrics).containsPattern("verdict_entity_store_refused_total(\\{[^}]*\\})? [1-9]");
    assertThat(metrics).contains("verdict_entity_store_max_bytes");
    // writes are logged with caller and revision, never with values
    assertThat(s.stderr()).contains("by pusher at revision").doesNotContain(big);
  }
}
