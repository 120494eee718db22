package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  static final String REQUEST = """
      {"principal": {"id": "alice", "roles": ["customer"], "tenant": "bank1", "branch": "b-leeds", "trust": 90},
       "resource": {"type": "Account", "id": "A-1001"},
       "action": "read"}""";

  @TempDir
  Path tmp;

  @Test
  void timesARequestAndReportsRatePercentilesAndAllocation() throws Exception {
    Path req = Files.writeString(tmp.resolve("read.json"), REQUEST);
    CliRun run = CliRun.of("bench", "../policies/banking", "--request", req.toString(), "--duration", "300ms",
        "--warmup", "100ms");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("decisions: [\\d,]+ in 0\\.\\d s \\([\\d,]+ per second\\)")
        .containsPattern("latency:   p50 .+, p99 .+, max .+")
        .containsPattern("allocated: [\\d,]+ B per decision")
        .contains("decision:  allow by owner-access");

    CliRun json = CliRun.of("bench", "../policies/banking", "--request", req.toString(), "--duration", "200ms",
        "--warmup", "50ms", "--parse", "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(json.out());
    assertThat(n.get("decisions").asLong()).isPositive();
    assertThat(n.get("p99Nanos").asLong()).isGreaterThanOrEqualTo(n.get("p50Nanos").asLong());
    assertThat(n.get("bytesPerDecision").asLong()).isPositive();
    assertThat(n.get("outcome").asText()).isEqualTo("allow");
  }

  /** The same question as {@link #REQUEST}, as a gateway or AuthZEN client asks it. */
  static final String AUTHZEN_REQUEST = """
      {"subject": {"type": "User", "id": "alice",
                   "properties": {"roles": ["customer"], "tenant": "bank1", "branch": "b-leeds", "trust": 90}},
       "resource": {"type": "Account", "id": "A-1001"},
       "action": {"name": "read"}}""";

  @Test
  void timesAnAuthZenEvaluationBodyReadAsTheServerReadsIt() throws Exception {
    Path req = Files.writeString(tmp.resolve("evaluation.json"), AUTHZEN_REQUEST);
    for (String parse : new String[] {"--parse", "--format=text"}) {
      CliRun run = CliRun.of("bench", "../policies/banking", "--request", req.toString(), "--duration", "200ms",
          "--warmup", "50ms", parse);
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).containsPattern("decisions: [\\d,]+ in 0\\.\\d s")
          .contains("decision:  allow by owner-access");
    }
    // its properties are read as the native request's attributes: another tenant is refused
    Path other = Files.writeString(tmp.resolve("other.json"), AUTHZEN_REQUEST.replace("bank1", "bank2"));
    CliRun refused = CliRun.of("bench", "../policies/banking", "--request", other.toString(), "--duration", "100ms",
        "--warmup", "10ms", "--parse");
    assertThat(refused.code()).as(refused.err()).isZero();
    assertThat(refused.out()).contains("decision:  deny");
  }

  @Test
  void anInvalidAuthZenBodyIsAUsageErrorNamingItsMember() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.json"),
        "{\"subject\": {\"type\": \"User\"}, \"resource\": {\"type\": \"Account\", \"id\": \"A-1001\"}, "
            + "\"action\": {\"name\": \"read\"}}");
    CliRun run = CliRun.of("bench", "../policies/banking", "--request", bad.toString(), "--duration", "100ms");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("error: invalid request at $.subject.id: `id` must be a string");
  }

  @Test
  void badInputIsAUsageErrorAndABrokenSetAPolicyError() throws Exception {
    Path req = Files.writeString(tmp.resolve("read.json"), REQUEST);
    assertThat(CliRun.of("bench", "../policies/banking", "--request", req.toString(), "--duration", "ten")
        .err()).contains("is not a time such as 500ms, 10s or 1m");
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"principal\": 5}");
    CliRun invalid = CliRun.of("bench", "../policies/banking", "--request", bad.toString(), "--duration", "100ms");
    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.err()).contains("invalid request at $.principal");
    Path set = Files.createDirectories(tmp.resolve("set"));
    Files.writeString(set.resolve("p.verdict"), "policy p on { permit }");
    CliRun broken = CliRun.of("bench", set.toString(), "--request", req.toString(), "--duration", "100ms");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.out()).contains("p.verdict:1");
  }
}
