package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two {@code verdict serve} processes in one cluster: a record put on one is found by resource search on the other. */
class EntitySearchClusterTest {
  static final String KEY = "search-key-0123456789abcdef";
  static Path dir;
  static ClusterProcesses cluster;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("entity-search-cluster");
    TestServer.copy(Path.of("src/test/resources/policies/cluster"), dir.resolve("policies"));
    Files.writeString(dir.resolve("verdict.yaml"), "auth:\n  api-keys:\n    - name: service\n      hash: "
        + dev.verdict.server.auth.ApiKeys.hash(KEY) + "\n      scopes: [data, decide]\n");
    cluster = ClusterProcesses.start(dir, 2, List.of("--policies", "policies", "--config", "verdict.yaml"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String put(ClusterProcesses.Node node, String path, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.base() + path))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").header("X-API-Key", KEY).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ClusterProcesses.JSON.readTree(r.body()).get("revision").asText();
  }

  static List<String> search(ClusterProcesses.Node node, String who, String revision) {
    ClusterProcesses.Answer a = cluster.post(node, "/access/v1/search/resource", "{\"subject\":"
        + TestServer.subject(who) + ",\"resource\":{\"type\":\"Account\"},\"action\":{\"name\":\"read\"}}",
        "X-Verdict-Min-Revision", revision, "X-API-Key", KEY);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    a.json().get("results").forEach(n -> ids.add(n.get("id").asText()));
    return ids;
  }

  @Test
  void aRecordWrittenOnOneNodeIsFoundBySearchOnTheOther() throws Exception {
    ClusterProcesses.Node a = cluster.nodes.get(0);
    ClusterProcesses.Node b = cluster.nodes.get(1);
    assertThat(search(b, "frank", "0")).isEmpty();
    String rev = put(a, "/v1/entities/Account/cs-1", "{\"attrs\":{\"owner\":\"frank\",\"tenant\":\"t1\"}}");
    assertThat(search(b, "frank", rev)).containsExactly("cs-1");
  }
}
