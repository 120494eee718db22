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
    // one account in a data file, so that a record can cover it and a delete uncover it
    Files.writeString(policies.resolve("accounts.entities.json"), """
        [{"uid": {"type": "Account", "id": "df1"}, "attrs": {"owner": "carol", "tenant": "t1"}, "parents": []}]
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

  static TestServer.Response delete(String path) {
    return s.send(HttpRequest.newBuilder(URI.create(s.base() + path)).DELETE(), "X-API-Key", DATA_KEY);
  }

  /** The ids AuthZEN resource search (a plan over the entities) finds that {@code subject} may read. */
  static List<String> searchAccounts(String subject, String revision) {
    TestServer.Response r = s.post("/access/v1/search/resource", "{\"subject\":{\"type\":\"User\",\"id\":\""
        + subject + "\",\"properties\":{\"tenant\":\"t1\",\"roles\":[]}},\"resource\":{\"type\":\"Account\"},"
        + "\"action\":{\"name\":\"read\"}}", "X-API-Key", DECIDE_KEY, MinRevision.HEADER, revision);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> ids = new java.util.ArrayList<>();
    r.json().get("results").forEach(n -> ids.add(n.get("id").asText()));
    return ids;
  }

  @Test
  void resourceSearchFindsStoredRecordsOverTheDataFiles() {
    assertThat(searchAccounts("dora", "0")).isEmpty();
    assertThat(searchAccounts("carol", "0")).containsExactly("df1");
    String rev = put("/v1/entities/Account/sr1", "{\"attrs\":{\"owner\":\"dora\",\"tenant\":\"t1\"}}")
        .json().get("revision").asText();
    assertThat(searchAccounts("dora", rev)).containsExactly("sr1");
    // a record covers the data files' entity of its uid: df1 is now dora's, not carol's
    rev = put("/v1/entities/Account/df1", "{\"attrs\":{\"owner\":\"dora\",\"tenant\":\"t1\"}}")
        .json().get("revision").asText();
    assertThat(searchAccounts("dora", rev)).containsExactly("df1", "sr1");
    assertThat(searchAccounts("carol", rev)).isEmpty();
    // another tenant's record is not found (the rest of the plan's filter runs over stored attributes)
    rev = put("/v1/entities/Account/sr2", "{\"attrs\":{\"owner\":\"dora\",\"tenant\":\"t2\"}}")
        .json().get("revision").asText();
    assertThat(searchAccounts("dora", rev)).containsExactly("df1", "sr1");
    rev = put("/v1/entities/Account/sr1", "{\"attrs\":{\"owner\":\"erin\",\"tenant\":\"t1\"}}")
        .json().get("revision").asText();
    assertThat(searchAccounts("dora", rev)).containsExactly("df1");
    assertThat(searchAccounts("erin", rev)).containsExactly("sr1");
    // deleting the record uncovers the data files' entity again, as for decisions
    rev = delete("/v1/entities/Account/df1").json().get("revision").asText();
    assertThat(searchAccounts("dora", rev)).isEmpty();
    assertThat(searchAccounts("carol", rev)).containsExactly("df1");
    rev = delete("/v1/entities/Account/sr1").json().get("revision").asText();
    assertThat(searchAccounts("erin", rev)).isEmpty();
  }

  @Test
  void theRevisionCanBeAskedInTheBodyOfNativeAndAuthZenRequests() {
    String rev = put("/v1/entities/Account/mr1", "{\"attrs\":{\"owner\":\"gina\",\"tenant\":\"t1\"}}")
        .json().get("revision").asText();
    String stale = Long.toString(Long.parseLong(rev) + 1000);
    String nativeBody = "{\"principal\":{\"id\":\"gina\",\"roles\":[],\"tenant\":\"t1\"},"
        + "\"resources\":[{\"type\":\"Account\",\"id\":\"mr1\"}],\"actions\":[\"read\"],\"minRevision\":";
    TestServer.Response ok = s.post("/v1/decisions", nativeBody + rev + "}", "X-API-Key", DECIDE_KEY);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().get("results").get(0).get("decision").asText()).isEqualTo("allow");
    TestServer.Response late = s.post("/v1/decisions", nativeBody + "\"" + stale + "\"}", "X-API-Key", DECIDE_KEY);
    assertThat(late.status()).as(late.body()).isEqualTo(503);
    assertThat(late.json().get("error").get("code").asText()).isEqualTo("revision_not_reached");
    assertThat(late.json().get("error").get("details").get("wanted").asText()).isEqualTo(stale);

    String authzen = "{\"subject\":{\"type\":\"User\",\"id\":\"gina\",\"properties\":{\"tenant\":\"t1\","
        + "\"roles\":[]}},\"resource\":{\"type\":\"Account\",\"id\":\"mr1\"},\"action\":{\"name\":\"read\"},"
        + "\"minRevision\":";
    TestServer.Response yes = s.post("/access/v1/evaluation", authzen + "\"" + rev + "\"}", "X-API-Key", DECIDE_KEY);
    assertThat(yes.json().get("decision").asBoolean()).as(yes.body()).isTrue();
    TestServer.Response no = s.post("/access/v1/evaluation", authzen + stale + "}", "X-API-Key", DECIDE_KEY);
    assertThat(no.status()).isEqualTo(503);
    assertThat(no.json().get("error").get("code").asText()).isEqualTo("revision_not_reached");
    TestServer.Response bad = s.post("/access/v1/evaluation", authzen + "\"soon\"}", "X-API-Key", DECIDE_KEY);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").get("details").get("path").asText()).isEqualTo("$.minRevision");
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
