package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdict check} on good input and on each bad input of issue 3. */
class CheckCommandTest {
  @TempDir
  Path dir;

  private String write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file.toString();
  }

  private String name(String file) {
    return dir.resolve(file).toString().replace('\\', '/');
  }

  /** Runs check on {@code path}: exit 1, the code at the location, no exception shown. */
  private CliRun assertPolicyError(String path, String code, String location) {
    CliRun run = CliRun.of("check", path);
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("error[" + code + "]").contains("--> " + location + "\n");
    assertThat(run.out()).contains("error: 1 error");
    assertThat(run.showsNoException()).as(run.out() + run.err()).isTrue();
    return run;
  }

  @Test
  void aGoodSetIsOk() throws IOException {
    write("a.verdict", "role admin\npolicy p on Account {\n  permit read to admin\n}\n");
    CliRun run = CliRun.of("check", dir.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("ok: 1 file checked");
  }

  @Test
  void entityDataPastItsBoundIsRefusedBeforeItIsLoaded() throws IOException {
    write("a.verdict", "role admin\npolicy p on Account {\n  permit read to admin\n}\n");
    String record = "{\"uid\": {\"type\": \"Account\", \"id\": \"%s\"}, \"attrs\": {}, \"parents\": []}";
    write("a.entities.json", "[" + record.formatted("a1") + "]\n");
    write("b.entities.json", "[" + record.formatted("b1") + "]\n");
    System.setProperty(dev.verdict.lang.data.EntityDataBound.PROPERTY, "100");
    try {
      CliRun run = assertPolicyError(dir.toString(), "V0109", name("b.entities.json"));
      assertThat(run.out()).contains("entity data files are larger than the limit of 100 bytes")
          .contains("VERDICT_ENTITY_FILES_BYTES");
      System.setProperty(dev.verdict.lang.data.EntityDataBound.PROPERTY, "1000");
      assertThat(CliRun.of("check", dir.toString()).code()).isZero();
    } finally {
      System.clearProperty(dev.verdict.lang.data.EntityDataBound.PROPERTY);
    }
  }

  @Test
  void truncatedFile() throws IOException {
    assertPolicyError(write("t.verdict", "role owner on Account when resource.owner =="), "V0201", name("t.verdict") + ":1:45");
  }

  @Test
  void unbalancedBraces() throws IOException {
    assertPolicyError(write("u.verdict", "policy p on A {\n  permit read\n"), "V0201", name("u.verdict") + ":1:15");
  }

  @Test
  void deeplyNestedExpressions() throws IOException {
    String head = "role r on * when ";
    assertPolicyError(write("p.verdict", head + "(".repeat(10_000) + "true" + ")".repeat(10_000)),
        "V0108", name("p.verdict") + ":1:82");
    assertPolicyError(write("n.verdict", head + "not ".repeat(10_000) + "true"), "V0108", name("n.verdict") + ":1:274");
    assertPolicyError(write("i.verdict", head + "if true then ".repeat(10_000) + "true" + " else false".repeat(10_000)),
        "V0108", name("i.verdict") + ":1:850");
    assertPolicyError(write("o.verdict", head + "true or ".repeat(9_999) + "true"), "V0108", name("o.verdict") + ":1:18");
  }

  @Test
  void fiftyMegabyteFile() throws IOException {
    Path big = dir.resolve("big.verdict");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(50L * 1024 * 1024);
    }
    CliRun run = assertPolicyError(big.toString(), "V0101", name("big.verdict"));
    assertThat(run.out()).contains("more than the limit of 2097152 bytes");
  }

  @Test
  void invalidUtf8AndNulBytes() throws IOException {
    Path bad = dir.resolve("bad.verdict");
    Files.write(bad, new byte[] {'r', 'o', 'l', 'e', ' ', 'a', '\n', 'r', (byte) 0xFF, '\n'});
    assertPolicyError(bad.toString(), "V0102", name("bad.verdict") + ":2:2");
    Path nul = dir.resolve("nul.verdict");
    Files.write(nul, new byte[] {'r', 'o', 'l', 'e', ' ', 0, '\n'});
    assertPolicyError(nul.toString(), "V0103", name("nul.verdict") + ":1:6");
  }

  @Test
  void emptyDirectory() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    CliRun run = assertPolicyError(empty.toString(), "V0105", name("empty"));
    assertThat(run.out()).contains("no policy files found");
  }

  @Test
  void missingDirectoryIsAUsageError() {
    CliRun run = CliRun.of("check", dir.resolve("missing").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).contains("error[V0106]").contains("does not exist");
    assertThat(run.showsNoException()).isTrue();
    CliRun json = CliRun.of("check", "--format", "json", dir.resolve("missing").toString());
    assertThat(json.code()).isEqualTo(2);
    assertThat(json.out()).contains("\"V0106\"");
  }

  @Test
  void symbolicLinkLoop() throws IOException {
    Path set = Files.createDirectory(dir.resolve("set"));
    Files.writeString(set.resolve("a.verdict"), "role a\n");
    try {
      Files.createSymbolicLink(set.resolve("loop"), set);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "the file system refuses symbolic links: " + e);
    }
    assertPolicyError(set.toString(), "V0107", name("set/loop"));
  }

  @Test
  void textAndJsonCountTheSameFilesDataIncluded() throws IOException {
    write("a.verdict", "entity Account { owner: String }\nrole admin\npolicy p on Account {\n  permit read to admin\n}\n");
    write("accounts.entities.json", "[{\"uid\": {\"type\": \"Account\", \"id\": \"a1\"}, \"attrs\": {\"owner\": \"alice\"}, \"parents\": []}]\n");
    CliRun text = CliRun.of("check", dir.toString());
    assertThat(text.out()).as(text.out()).startsWith("ok: 2 files checked");
    CliRun json = CliRun.of("check", dir.toString(), "--format", "json");
    assertThat(json.out()).contains("\"files\" : 2,");
  }
}
