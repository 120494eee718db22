package dev.verdict.server.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.engine.DecisionEvent;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.rate.FailMode;
import dev.verdict.server.log.DecisionLog;
import dev.verdict.server.log.OperationalLog;
import dev.verdict.server.metrics.ServerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the recorder writes to the decision log for a decision, and what it costs the request's thread. */
class DecisionRecorderTest {
  /** Written by the recorder before the log took decisions through a ring of reusable slots. */
  static final String LINES = "{\"time\":\"2023-11-14T22:13:20.123Z\",\"decisionId\":\"dec-1\",\"requestId\":\"req-\u2028-1\",\"policyVersion\":\"sha256:abc\",\"caller\":\"key:ops\",\"endpoint\":\"evaluation\",\"principal\":{\"type\":\"User\",\"id\":\"alice\"},\"resource\":{\"type\":\"Account\",\"id\":\"a\\\"1\u00e9\"},\"action\":\"transfer\",\"intent\":\"funds.transfer\",\"decision\":\"allow\",\"reasons\":[\"owner-access\",\"teller\"],\"readMask\":{\"dob\":\"redact\",\"email\":\"hash\",\"ssn\":\"partial(4)\"},\"writeDenied\":[\"limits.daily\",\"owner\"],\"rate\":{\"limit\":\"transfers\",\"allowed\":true,\"remaining\":7,\"unavailable\":\"local\"},\"errors\":[{\"code\":\"missing_attribute\",\"rule\":\"limits-check\",\"at\":\"bank.verdict:12:7\"}],\"latencyMicros\":12345}" + "\n"
      + "{\"time\":\"1970-01-01T00:00:00Z\",\"decisionId\":\"\",\"requestId\":\"\",\"policyVersion\":\"sha256:abc\",\"caller\":\"\",\"endpoint\":\"engine\",\"principal\":{\"type\":\"User\",\"id\":\"bob\"},\"resource\":{\"type\":\"Account\",\"id\":\"a2\"},\"action\":\"transfer\",\"decision\":\"deny\",\"reasons\":[],\"readMask\":{},\"writeDenied\":[],\"latencyMicros\":0}" + "\n";

  @Test
  void aDecisionIsLoggedByteForByteAsBefore() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(out, false, 16, () -> { }, OperationalLog.stderr());
    DecisionRecorder recorder = new DecisionRecorder(log, new ServerMetrics(ServerMetrics.newRegistry()));
    Decision d = new Decision(Decision.Outcome.ALLOW, List.of("owner-access", "teller"),
        List.of(new EvalError("limits-check", dev.verdict.lang.source.Span.at("bank.verdict", 12, 7),
            "no attribute `ssn` (value 123-45-6789)", EvalError.Kind.MISSING_ATTRIBUTE)),
        Map.of("ssn", new FieldEffect(FieldEffect.Kind.PARTIAL, 4, dev.verdict.lang.source.Span.NONE),
            "email", FieldEffect.of(FieldEffect.Kind.HASH), "dob", FieldEffect.of(FieldEffect.Kind.REDACT)),
        Set.of("owner", "limits.daily"),
        Optional.of(new RateDecision("funds.transfer", "transfers", "alice", true, 10, Duration.ofMinutes(1), 7,
            Duration.ZERO, Duration.ofSeconds(30), Optional.of(FailMode.LOCAL))),
        Optional.empty(), "sha256:abc");
    recorder.onDecision(new DecisionEvent(request("alice", "a\"1\u00e9"), d, "funds.transfer", 1_700_000_000_123L,
        12_345_678L, new CallInfo("key:ops", "evaluation", "dec-1", "req-\u2028-1")));
    Decision deny = new Decision(Decision.Outcome.DENY, List.of(), List.of(), Map.of(), Set.of(), Optional.empty(),
        Optional.empty(), "sha256:abc");
    recorder.onDecision(new DecisionEvent(request("bob", "a2"), deny, null, 0L, 999L, "not a call"));
    log.close(10_000);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(LINES);
  }

  @Test
  void aRecordOfferedDirectlyIsWrittenAsTheSameDecisionIs() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(out, false, 16, () -> { }, OperationalLog.stderr());
    log.offer(new dev.verdict.server.log.DecisionRecord(1_700_000_000_123L, "dec-1", "req-\u2028-1", "sha256:abc",
        "key:ops", "evaluation", "User", "alice", "Account", "a\"1\u00e9", "transfer", "funds.transfer", "allow",
        List.of("owner-access", "teller"), Map.of("ssn", "partial(4)", "email", "hash", "dob", "redact"),
        Set.of("owner", "limits.daily"), new dev.verdict.server.log.DecisionRecord.Rate("transfers", true, 7, "local"),
        12_345, List.of(new dev.verdict.server.log.DecisionRecord.EvalFailure("missing_attribute", "limits-check",
            "bank.verdict:12:7"))));
    log.close(10_000);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(LINES.substring(0, LINES.indexOf('\n') + 1));
  }

  @Test
  void recordingADecisionAllocatesNothingOnTheRequestThread() {
    DecisionLog log = new DecisionLog(OutputStream.nullOutputStream(), false, 10_000, () -> { },
        OperationalLog.stderr());
    DecisionRecorder recorder = new DecisionRecorder(log, new ServerMetrics(ServerMetrics.newRegistry()));
    Decision allow = new Decision(Decision.Outcome.ALLOW, List.of("owner-access"), List.of(), Map.of(), Set.of(),
        Optional.empty(), Optional.empty(), "sha256:abc");
    Decision deny = new Decision(Decision.Outcome.DENY, List.of("frozen"), List.of(), Map.of(), Set.of(),
        Optional.empty(), Optional.empty(), "sha256:abc");
    DecisionEvent allowed = new DecisionEvent(request("alice", "a1"), allow, "funds.transfer", 1L, 2_000L,
        new CallInfo("anonymous", "evaluation", "dec-1", "req-1"));
    DecisionEvent denied = new DecisionEvent(request("alice", "a1"), deny, null, 1L, 2_000L,
        new CallInfo("anonymous", "evaluation", "dec-2", "req-2"));
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      recorder.onDecision(i % 2 == 0 ? allowed : denied);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      recorder.onDecision(i % 2 == 0 ? allowed : denied);
    }
    long bytes = threads.getCurrentThreadAllocatedBytes() - before;
    log.close(10_000);
    // the log record, the metrics' label keys and the budget callback were allocated on every decision
    assertThat(bytes / 10_000).as("bytes allocated per recorded decision").isLessThan(8);
  }

  private static Request request(String principal, String account) {
    return new Request(new EntityData(new EntityUid("User", principal), Map.of(), List.of(), false),
        new EntityData(new EntityUid("Account", account), Map.of("owner", new Value.Str(principal)), List.of(), false),
        "transfer", Map.of(), List.of());
  }
}
