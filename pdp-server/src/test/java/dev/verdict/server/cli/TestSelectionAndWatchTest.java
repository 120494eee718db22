package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9.14: `verdict test` on one file, on tests named by --run, as JSON, and --watch. */
class TestSelectionAndWatchTest {
  private static final String SCHEMA = """
      role owner on Account when resource.owner == principal.id

      policy accounts on Account {
        permit read to owner
      }
      """;

  private static String test(String name, String expect) {
    return "test \"" + name + "\" {\n  principal { id: \"alice\" }\n  resource Account \"a1\" { owner: \"alice\" }\n"
        + "  action read\n  expect " + expect + "\n}\n";
  }

  @TempDir
  Path temp;
  /** A level below the temporary directory: a set's root is found by climbing while directories
   *  hold policy files, and the shared temporary directory may hold some of another program's. */
  Path dir;

  @org.junit.jupiter.api.BeforeEach
  void nest() throws Exception {
    dir = Files.createDirectories(temp.resolve("set"));
  }

  private Path set() throws Exception {
    Files.writeString(dir.resolve("accounts.verdict"), SCHEMA);
    Files.writeString(dir.resolve("a_tests.verdict"), test("owner reads", "allow") + "\n" + test("owner reads twice", "allow"));
    Files.writeString(dir.resolve("b_tests.verdict"), test("broken expectation", "deny"));
    return dir;
  }

  @Test
  void oneFileRunsTheTestsWrittenInIt() throws Exception {
    set();
    CliRun run = CliRun.of("test", dir.resolve("a_tests.verdict").toString(), "--verbose");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("owner reads").contains("owner reads twice").doesNotContain("broken")
        .endsWith("ok: 2 tests, 0 failed" + System.lineSeparator());

    CliRun other = CliRun.of("test", dir.resolve("b_tests.verdict").toString());
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.out()).contains("broken expectation").contains("FAILED: 1 tests, 1 failed");
  }

  @Test
  void aFileOutsideTheWorkingDirectoryBringsOnlyItsOwnDirectory() throws Exception {
    Path set = Files.createDirectories(dir.resolve("set"));
    Files.writeString(dir.resolve("unrelated.verdict"), "this is not a policy");
    Files.writeString(set.resolve("accounts.verdict"), SCHEMA);
    Files.writeString(set.resolve("a_tests.verdict"), test("owner reads", "allow"));
    CliRun run = CliRun.of("test", set.resolve("a_tests.verdict").toString());
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("ok: 1 tests, 0 failed");
  }

  @Test
  void runSelectsTestsByName() throws Exception {
    set();
    CliRun run = CliRun.of("test", dir.toString(), "--run", "twice$", "--verbose");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("owner reads twice").contains("ok: 1 tests, 0 failed");

    CliRun none = CliRun.of("test", dir.toString(), "--run", "no such test");
    assertThat(none.code()).isEqualTo(VerdictCommand.USAGE);
    assertThat(none.err()).contains("no test in `" + dir + "` has a name matching `no such test`");
  }

  @Test
  void jsonFormatListsEveryResult() throws Exception {
    set();
    CliRun run = CliRun.of("test", dir.toString(), "--format", "json", "--coverage");
    assertThat(run.code()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("tests").asInt()).isEqualTo(3);
    assertThat(json.get("failed").asInt()).isEqualTo(1);
    JsonNode broken = json.get("results").get(2);
    assertThat(broken.get("name").asText()).isEqualTo("broken expectation");
    assertThat(broken.get("file").asText()).endsWith("b_tests.verdict");
    assertThat(broken.get("line").asInt()).isEqualTo(1);
    assertThat(broken.get("passed").asBoolean()).isFalse();
    assertThat(broken.get("failures").get(0).asText()).startsWith("expected deny, got allow");
    assertThat(json.get("coverage").get("total").asInt()).isEqualTo(1);
  }

  @Test
  void watchRunsAgainAfterAChangeUntilInterrupted() throws Exception {
    set();
    Files.delete(dir.resolve("b_tests.verdict"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread cli = new Thread(() -> code.set(VerdictCommand.execute(new PrintWriter(out), new PrintWriter(err),
        "test", dir.toString(), "--watch", "--watch-interval-ms", "50")));
    cli.start();
    try {
      await(() -> out.toString().contains("ok: 2 tests"));
      await(() -> err.toString().contains("watching"));
      Files.writeString(dir.resolve("c_tests.verdict"), test("a third test", "allow"));
      await(() -> out.toString().contains("ok: 3 tests"));
      assertThat(err.toString()).contains("changed: running the tests again");
    } finally {
      cli.interrupt();
      cli.join(Duration.ofSeconds(30).toMillis());
    }
    assertThat(cli.isAlive()).isFalse();
    assertThat(code.get()).isZero();
    assertThat(out.toString().split("ok: ", -1)).hasSize(3); // exactly two reports
  }

  /** Waits for a condition the command brings about; the bound only stops a hung test. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    Instant give = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("condition reached in time").isBefore(give);
      Thread.sleep(20);
    }
  }
}
