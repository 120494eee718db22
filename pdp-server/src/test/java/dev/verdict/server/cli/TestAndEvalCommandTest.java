package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestAndEvalCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = VerdictCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  static final String SET = """
      role owner on Account when resource.owner == principal.id
      policy accounts on Account {
        permit read to owner
        @id("frozen") forbid read when resource.frozen
      }
      test "owner reads" {
        principal { id: "alice" }
        resource Account "a1" { owner: "alice", frozen: false }
        action read
        expect allow
      }
      """;

  @Test
  void testVerbPassesReportsCoverageAndWritesJUnit(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), SET);
    Path xml = dir.resolve("out.xml");
    Run r = run("test", dir.toString(), "--coverage", "--junit", xml.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("coverage: 1 of 2").contains("not exercised: forbid frozen")
        .contains("ok: 1 tests, 0 failed");
    assertThat(Files.readString(xml)).contains("<testcase").contains("name=\"owner reads\"");
  }

  @Test
  void testVerbFailsWithTraceAndExitCodeOne(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), SET.replace("expect allow", "expect deny"));
    Run r = run("test", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL").contains("expected deny, got allow by accounts:3")
        .contains("trace:").contains("permit accounts:3");
  }

  @Test
  void testVerbOnMissingDirectoryIsAUsageError() {
    Run r = run("test", "/no/such/dir");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("does not exist");
  }

  @Test
  void evalExplainsADenial(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), SET);
    Path req = dir.resolve("req.json");
    Files.writeString(req, """
        {"principal": {"id": "alice"},
         "resource": {"type": "Account", "id": "a1", "owner": "alice", "frozen": true},
         "action": "read"}
        """);
    Run r = run("eval", dir.toString(), "--request", req.toString(), "--explain");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("decision: deny").contains("reasons:  frozen")
        .contains("forbid frozen").contains("applied").contains("permit accounts:3").contains("skipped");
    Run json = run("eval", dir.toString(), "--request", req.toString(), "--format", "json");
    assertThat(json.out()).contains("\"decision\" : \"deny\"").contains("\"reasons\" : [ \"frozen\" ]");
  }

  @Test
  void evalRejectsBadRequestsWithTheirJsonPath(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), SET);
    Path req = dir.resolve("req.json");
    Files.writeString(req, "{\"principal\": {\"id\": 5}, \"resource\": {\"type\": \"Account\", \"id\": \"a\"}, \"action\": \"read\"}");
    Run r = run("eval", dir.toString(), "--request", req.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("$.principal.id").doesNotContain("Exception");
    Files.writeString(req, "{\"principal\": ");
    Run truncated = run("eval", dir.toString(), "--request", req.toString());
    assertThat(truncated.code()).isEqualTo(2);
    assertThat(truncated.err()).contains("not valid JSON at line 1");
  }

  /** eval reads a request as the server reads a body: a member named twice is refused, not last-wins. */
  @Test
  void evalRefusesWhatTheServerRefuses(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), SET);
    Path req = dir.resolve("req.json");
    Files.writeString(req, "{\"principal\": {\"id\": \"mallory\"}, \"principal\": {\"id\": \"alice\"}, "
        + "\"resource\": {\"type\": \"Account\", \"id\": \"a\"}, \"action\": \"read\"}");
    Run twice = run("eval", dir.toString(), "--request", req.toString());
    assertThat(twice.code()).isEqualTo(2);
    assertThat(twice.err()).contains("a member appears twice in one JSON object").doesNotContain("Exception");
    Files.writeString(req, "{\"principal\": {\"id\": \"alice\"}, \"resource\": {\"type\": \"Account\", \"id\": \"a\"}, "
        + "\"action\": \"read\"} {}");
    Run trailing = run("eval", dir.toString(), "--request", req.toString());
    assertThat(trailing.code()).isEqualTo(2);
    assertThat(trailing.err()).contains("there is more after the JSON document");
    Files.writeString(req, "{\"principal\": {\"id\": \"" + "x".repeat(70_000) + "\"}}");
    Run tooLong = run("eval", dir.toString(), "--request", req.toString());
    assertThat(tooLong.code()).isEqualTo(2);
    assertThat(tooLong.err()).contains("a JSON string is longer than 65536 characters");
  }
}
