package dev.verdict.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Operational lines keep the `verdict: …` format on the server's own stream, by level. */
class OperationalLogTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final System.Logger log = new OperationalLog(new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private String lines() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void levelsShowAsPrefixesAndDebugIsDropped() {
    log.log(Level.INFO, "serving policy version v1 (3 rules)");
    log.log(Level.WARNING, "this version removed 1 limit (transfers)");
    log.log(Level.ERROR, "the decision log cannot be written");
    log.log(Level.DEBUG, "not shown");
    log.log(Level.INFO, "JWKS reloaded: {0} signing keys loaded", 2);
    assertThat(lines().lines()).containsExactly(
        "verdict: serving policy version v1 (3 rules)",
        "verdict: warning: this version removed 1 limit (transfers)",
        "verdict: error: the decision log cannot be written",
        "verdict: JWKS reloaded: 2 signing keys loaded");
  }

  @Test
  void onlyAnErrorShowsItsStackTrace() {
    log.log(Level.INFO, "request r1: the HTTP request could not be read: bad", new IllegalStateException("bad"));
    assertThat(lines()).doesNotContain("IllegalStateException");
    log.log(Level.ERROR, "request r2 failed: boom", new IllegalStateException("boom"));
    assertThat(lines()).contains("verdict: error: request r2 failed: boom")
        .contains("java.lang.IllegalStateException: boom").contains("\tat ");
  }

  @Test
  void aDecisionLogThatCannotWriteSaysSoOnTheServersLog() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }
    };
    DecisionLog decisions = new DecisionLog(broken, false, 4, () -> { }, log);
    decisions.offer(new DecisionRecord(0, "d", "r", "v", "c", "e", "User", "u", "T", "t", "read", null, "allow",
        List.of(), Map.of(), Set.of(), null, 1));
    decisions.close(5_000);
    assertThat(lines()).contains("verdict: error: the decision log cannot be written (disk full)");
  }
}
