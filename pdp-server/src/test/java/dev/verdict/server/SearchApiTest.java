package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AuthZEN 1.0 subject, resource and action search over the set's entity data, field by field:
 * {@code results} of {@code {type, id}} (actions: {@code {name}}), {@code page.next_token}
 * (empty on the last page) and {@code page.count}; tokens bound to the policy version and to the
 * question.
 */
class SearchApiTest {
  @TempDir
  static Path tmp;
  static TestServer s;

  static final String ACCOUNTS = "["
      + account("a1", "alice", "t1") + "," + account("a2", "bob", "t1") + "," + account("a3", "alice", "t1") + ","
      + account("a4", "alice", "t2") + "," + account("a5", "alice", "t1") + "," + account("a6", "alice", "t1") + ","
      + "{\"uid\": {\"type\": \"User\", \"id\": \"alice\"}, \"attrs\": {\"tenant\": \"t1\", \"roles\": [\"customer\"]}, \"parents\": []},"
      + "{\"uid\": {\"type\": \"User\", \"id\": \"bob\"}, \"attrs\": {\"tenant\": \"t1\", \"roles\": [\"customer\"]}, \"parents\": []},"
      + "{\"uid\": {\"type\": \"User\", \"id\": \"root\"}, \"attrs\": {\"tenant\": \"t1\", \"roles\": [\"admin\"]}, \"parents\": []},"
      + "{\"uid\": {\"type\": \"User\", \"id\": \"zed\"}, \"attrs\": {\"tenant\": \"t2\", \"roles\": [\"admin\"]}, \"parents\": []}]";

  static String account(String id, String owner, String tenant) {
    return "{\"uid\": {\"type\": \"Account\", \"id\": \"" + id + "\"}, \"attrs\": {\"owner\": \"" + owner
        + "\", \"tenant\": \"" + tenant + "\"}, \"parents\": []}";
  }

  static final String ALICE_READS = "{\"subject\": {\"type\": \"User\", \"id\": \"alice\","
      + " \"properties\": {\"roles\": [\"customer\"], \"tenant\": \"t1\"}},"
      + " \"action\": {\"name\": \"read\"}, \"resource\": {\"type\": \"Account\"}";

  @BeforeAll
  static void start() throws Exception {
    s = new TestServer(tmp);
    Files.writeString(s.policies.resolve("accounts.entities.json"), ACCOUNTS);
    assertThat(s.server.store().reload().toString()).doesNotContain("error");
  }

  @AfterAll
  static void stop() {
    s.close();
    assertThat(s.blockingCalls.found()).isEmpty();
  }

  @Test
  void resourceSearchPagesThroughTheAccountsTheSubjectMayRead() {
    List<String> ids = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      TestServer.Response r = s.post("/access/v1/search/resource", ALICE_READS
          + ", \"page\": {\"limit\": 2" + (token.isEmpty() ? "" : ", \"token\": \"" + token + "\"") + "}}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode j = r.json();
      for (JsonNode x : j.get("results")) {
        assertThat(x.get("type").asText()).isEqualTo("Account");
        assertThat(x.size()).isEqualTo(2);
        ids.add(x.get("id").asText());
      }
      assertThat(j.get("page").get("count").asInt()).isEqualTo(j.get("results").size());
      token = j.get("page").get("next_token").asText();
      pages++;
    } while (!token.isEmpty());

    // a2 is bob's, a4 is in another tenant
    assertThat(ids).containsExactly("a1", "a3", "a5", "a6");
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void aTokenFromBeforeAReloadIsAClear400NotAnotherAnswer(@TempDir Path own) throws Exception {
    try (TestServer t = new TestServer(own)) {
      Files.writeString(t.policies.resolve("accounts.entities.json"), ACCOUNTS);
      t.server.store().reload();
      JsonNode first = t.post("/access/v1/search/resource", ALICE_READS + ", \"page\": {\"limit\": 1}}").json();
      String token = first.get("page").get("next_token").asText();
      assertThat(token).isNotEmpty();

      Files.writeString(t.policies.resolve("more.verdict"), "policy more on Account {\n  permit list to customer\n}\n");
      assertThat(t.server.store().reload().toString()).doesNotContain("error");
      TestServer.Response stale = t.post("/access/v1/search/resource", ALICE_READS
          + ", \"page\": {\"limit\": 1, \"token\": \"" + token + "\"}}");

      assertThat(stale.status()).isEqualTo(400);
      JsonNode e = stale.json().get("error");
      assertThat(e.get("code").asText()).isEqualTo("invalid_request");
      assertThat(e.get("details").get("path").asText()).isEqualTo("$.page.token");
      assertThat(e.get("message").asText()).startsWith("the policy set changed since this search began")
          .endsWith("start the search again without a token");
    }
  }

  @Test
  void aTokenOfAnotherSearchOrNotOursIsRefused() {
    String token = s.post("/access/v1/search/resource", ALICE_READS + ", \"page\": {\"limit\": 1}}").json()
        .get("page").get("next_token").asText();
    TestServer.Response other = s.post("/access/v1/search/resource", ALICE_READS.replace("\"read\"", "\"update\"")
        + ", \"page\": {\"token\": \"" + token + "\"}}");
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.json().get("error").get("message").asText()).startsWith("the token belongs to another search");

    TestServer.Response forged = s.post("/access/v1/search/resource", ALICE_READS + ", \"page\": {\"token\": \"abc\"}}");
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.json().get("error").get("details").get("path").asText()).isEqualTo("$.page.token");

    TestServer.Response limit = s.post("/access/v1/search/resource", ALICE_READS + ", \"page\": {\"limit\": 0}}");
    assertThat(limit.status()).isEqualTo(400);
    assertThat(limit.json().get("error").get("details").get("path").asText()).isEqualTo("$.page.limit");
  }

  @Test
  void subjectSearchListsWhoMayActOnTheResource() {
    TestServer.Response r = s.post("/access/v1/search/subject", "{\"subject\": {\"type\": \"User\"},"
        + " \"action\": {\"name\": \"read\"},"
        + " \"resource\": {\"type\": \"Account\", \"id\": \"a1\", \"properties\": {\"owner\": \"alice\", \"tenant\": \"t1\"}}}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("results").toString())
        .isEqualTo("[{\"type\":\"User\",\"id\":\"alice\"},{\"type\":\"User\",\"id\":\"root\"}]");
    assertThat(r.json().get("page").toString()).isEqualTo("{\"next_token\":\"\",\"count\":2}");
  }

  @Test
  void actionSearchHonoursPageLimit() {
    String body = "{\"subject\": {\"type\": \"User\", \"id\": \"root\", \"properties\": {\"roles\": [\"admin\"], \"tenant\": \"t1\"}},"
        + " \"resource\": {\"type\": \"Account\", \"id\": \"a1\", \"properties\": {\"owner\": \"alice\", \"tenant\": \"t1\"}}";
    List<String> names = new ArrayList<>();
    String token = "";
    do {
      JsonNode page = s.post("/access/v1/search/action", body + ", \"page\": {\"limit\": 1"
          + (token.isEmpty() ? "" : ", \"token\": \"" + token + "\"") + "}}").json();
      assertThat(page.get("results")).hasSize(1);
      assertThat(page.get("page").get("count").asInt()).isEqualTo(1);
      names.add(page.get("results").get(0).get("name").asText());
      token = page.get("page").get("next_token").asText();
    } while (!token.isEmpty());
    assertThat(names).containsExactly("read", "transfer", "update");
  }

  @Test
  void metadataAdvertisesEverySearchAndTheRequestIdComesBack() {
    TestServer.Response r = s.get("/.well-known/authzen-configuration", "X-Request-ID", "trace-42:abc");
    String base = r.json().get("policy_decision_point").asText();
    assertThat(r.json().get("search_subject_endpoint").asText()).isEqualTo(base + "/access/v1/search/subject");
    assertThat(r.json().get("search_resource_endpoint").asText()).isEqualTo(base + "/access/v1/search/resource");
    assertThat(r.json().get("search_action_endpoint").asText()).isEqualTo(base + "/access/v1/search/action");
    assertThat(r.header("X-Request-ID")).isEqualTo("trace-42:abc");
    // AuthZEN 1.0 §9.1.2: registered capability URNs only; the IANA registry lists none yet.
    assertThat(r.json().get("capabilities")).isNotNull();
    assertThat(r.json().get("capabilities").isArray()).isTrue();
    assertThat(r.json().get("capabilities")).isEmpty();

    TestServer.Response search = s.post("/access/v1/search/resource", ALICE_READS + "}", "X-Request-ID", "req-1");
    assertThat(search.header("X-Request-ID")).isEqualTo("req-1");
    TestServer.Response hostile = s.post("/access/v1/search/resource", ALICE_READS + "}", "X-Request-ID", "a b\u00e9");
    assertThat(hostile.header("X-Request-ID")).isNotEqualTo("a b\u00e9").matches("[A-Za-z0-9._:/+=-]{1,128}");
  }
}
