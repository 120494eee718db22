package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.TestServer;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdict entities import|export} against a real server: 100,000 records with a bad line in the middle. */
class EntitiesCommandTest {
  static final String KEY = "entities-cli-key-0123456789";

  @Test
  void importsAHundredThousandRecordsReportingTheBadLineAndExportsThemAgain(@TempDir Path tmp) throws Exception {
    Path keyFile = tmp.resolve("key");
    Files.writeString(keyFile, KEY + "\n");
    Path ndjson = tmp.resolve("accounts.ndjson");
    try (BufferedWriter w = Files.newBufferedWriter(ndjson, StandardCharsets.UTF_8)) {
      for (int i = 1; i <= 100_000; i++) {
        w.write(i == 50_001 ? "{\"uid\": {\"type\": \"Account\", \"id\": \"a50001\"}, \"attrs\": {\"owner\": }"
            : "{\"uid\": {\"type\": \"Account\", \"id\": \"a" + i + "\"}, \"attrs\": {\"owner\": \"u" + (i % 977)
                + "\", \"tenant\": \"t1\"}, \"parents\": []}");
        w.write('\n');
      }
    }
    try (TestServer s = new TestServer(tmp, c -> c.withApiKeys(List.of(
        new ApiKey("loader", ApiKeys.digest(KEY), Set.of(Scope.DATA)))))) {
      CliRun imported = CliRun.of("entities", "import", "--server", s.base(), "--api-key-file", keyFile.toString(),
          ndjson.toString());
      assertThat(imported.out()).as(imported.err()).contains("loaded 99999 records, 1 failed; revision 100");
      // the bad line is named by file and line; the other 999 lines of its batch were applied
      assertThat(imported.err()).startsWith(ndjson + ":50001: ");
      assertThat(imported.code()).isEqualTo(1);
      assertThat(imported.showsNoException()).isTrue();
      assertThat(s.get("/v1/entities/Account/a50002", "X-API-Key", KEY).status()).isEqualTo(200);
      assertThat(s.get("/v1/entities/Account/a50001", "X-API-Key", KEY).status()).isEqualTo(404);

      Path out = tmp.resolve("export.ndjson");
      CliRun exported = CliRun.of("entities", "export", "--server", s.base(), "--api-key-file", keyFile.toString(),
          "--type", "Account", "-o", out.toString());
      assertThat(exported.code()).as(exported.err()).isZero();
      assertThat(exported.out()).contains("exported 99999 records at revision 100");
      try (var lines = Files.lines(out)) {
        assertThat(lines.count()).isEqualTo(99_999);
      }
    }
  }

  @Test
  void aWrongKeyIsAClearError(@TempDir Path tmp) throws Exception {
    Path keyFile = tmp.resolve("key");
    Files.writeString(keyFile, "not-the-key-0123456789");
    Path ndjson = tmp.resolve("one.ndjson");
    Files.writeString(ndjson, "{\"uid\": {\"type\": \"Account\", \"id\": \"a1\"}, \"attrs\": {}}\n");
    try (TestServer s = new TestServer(tmp, c -> c.withApiKeys(List.of(
        new ApiKey("loader", ApiKeys.digest(KEY), Set.of(Scope.DATA)))))) {
      CliRun r = CliRun.of("entities", "import", "--server", s.base(), "--api-key-file", keyFile.toString(),
          ndjson.toString());
      assertThat(r.code()).isNotZero();
      assertThat(r.err()).contains("401 unauthenticated");
      assertThat(r.showsNoException()).isTrue();
    }
  }
}
