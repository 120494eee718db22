package dev.verdict.server.entities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.TestServer;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.cluster.ClusterSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import into a clustered store, whose writes complete later (a round trip to the log's
 * owner), loads every batch before it answers. The body's lines are paused while a batch is
 * written: pausing the request alone let the line parser resume it as soon as it ran out of
 * lines, so batches overlapped and the answer could come before the last of them was written
 * ("loaded 99000" of 100,000, under load).
 */
class ClusterImportTest {
  static final String DATA_KEY = "data-key-0123456789abcdef";

  @Test
  void everyBatchIsWrittenBeforeTheAnswer(@TempDir Path tmp) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ClusterSettings alone = ClusterSettings.tcp("import-" + UUID.randomUUID(), List.of("127.0.0.1:" + port), port,
        "127.0.0.1").withTimings(0, 1, 5);
    try (TestServer s = new TestServer(tmp, c -> c.withCluster(Optional.of(alone), ServerConfig.DecisionCacheMode.LOCAL)
        .withApiKeys(List.of(new ApiKey("pusher", ApiKeys.digest(DATA_KEY), Set.of(Scope.DATA)))))) {
      int records = 20 * EntityHandlers.IMPORT_BATCH + 7;
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < records; i++) {
        b.append("{\"uid\":{\"type\":\"User\",\"id\":\"u").append(i).append("\"},\"attrs\":{}}\n");
      }
      TestServer.Response r = s.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/entities/import"))
          .POST(HttpRequest.BodyPublishers.ofString(b.toString())), "X-API-Key", DATA_KEY,
          "Content-Type", "application/x-ndjson");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("loaded").asLong()).as(r.body()).isEqualTo(records);
      assertThat(s.get("/v1/entities/User/u" + (records - 1), "X-API-Key", DATA_KEY, MinRevision.HEADER,
          r.json().get("revision").asText()).status()).isEqualTo(200);
    }
  }
}
