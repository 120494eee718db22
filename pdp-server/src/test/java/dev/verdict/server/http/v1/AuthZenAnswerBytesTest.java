package dev.verdict.server.http.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Decision.Outcome;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.rate.FailMode;
import dev.verdict.lang.source.Span;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * AuthZEN answers, byte for byte (the strings below were written by the build before answers
 * were written with pre-encoded names and a reused generator), in any order and after anything
 * another answer on the same thread did: a writer that threw halfway, a very large answer.
 */
class AuthZenAnswerBytesTest {
  private static final String V1 = "sha256:" + "0f".repeat(32);
  private static final String V2 = "sha256:" + "e1".repeat(32);

  private static final Decision DENY = new Decision(Outcome.DENY, List.of(), List.of(), Map.of(), Set.of(),
      Optional.empty(), Optional.empty(), V1);
  private static final String DENY_BYTES = "{\"decision\":false,\"context\":{\"decision_id\":\"d-1\",\"outcome\":\"deny\","
      + "\"reasons\":[],\"policy_version\":\"" + V1 + "\"}}";

  private static final Decision ALLOW = new Decision(Outcome.ALLOW, List.of("owner-reads", "teller \"reads\""),
      List.of(), Map.of("holder.ssn", new FieldEffect(FieldEffect.Kind.PARTIAL, 4, Span.NONE),
          "balance", FieldEffect.of(FieldEffect.Kind.REDACT)),
      Set.of("owner", "balance"), Optional.empty(), Optional.empty(), V2);
  private static final String ALLOW_BYTES = "{\"decision\":true,\"context\":{\"decision_id\":\"d-2\",\"outcome\":\"allow\","
      + "\"reasons\":[\"owner-reads\",\"teller \\\"reads\\\"\"],\"obligations\":[{\"type\":\"field-mask\","
      + "\"read\":{\"balance\":\"redact\",\"holder.ssn\":\"partial(4)\"},\"write\":[\"balance\",\"owner\"]}],"
      + "\"fields\":{\"read\":{\"balance\":\"redact\",\"holder.ssn\":\"partial(4)\"},\"write\":[\"balance\",\"owner\"]},"
      + "\"policy_version\":\"" + V2 + "\"}}";

  private static final Decision ALLOW_PLAIN = new Decision(Outcome.ALLOW, List.of("p\u00e9\u2028"), List.of(),
      Map.of(), Set.of(), Optional.empty(), Optional.empty(), V1);
  private static final String ALLOW_PLAIN_BYTES = "{\"decision\":true,\"context\":{\"decision_id\":\"d-3\","
      + "\"outcome\":\"allow\",\"reasons\":[\"p\u00e9\u2028\"],\"obligations\":[],\"fields\":{\"read\":{},\"write\":[]},"
      + "\"policy_version\":\"" + V1 + "\"}}";

  private static final Decision LIMITED = new Decision(Outcome.RATE_LIMITED, List.of("transfers"),
      List.of(new EvalError("r\t1", Span.NONE, "`amount` is \"text\"", EvalError.Kind.TYPE_MISMATCH)), Map.of(),
      Set.of(), Optional.of(new RateDecision("transfer", "per-user", "k", false, 10, Duration.ofMinutes(1), 0,
          Duration.ofMillis(1_500), Duration.ofSeconds(30), Optional.of(FailMode.LOCAL))),
      Optional.empty(), V2);
  private static final String LIMITED_BYTES = "{\"decision\":false,\"context\":{\"decision_id\":\"d-4\","
      + "\"outcome\":\"rate_limited\",\"reasons\":[\"transfers\"],\"errors\":[{\"rule\":\"r\\t1\","
      + "\"message\":\"`amount` is \\\"text\\\"\"}],\"rate\":{\"intent\":\"transfer\",\"name\":\"per-user\","
      + "\"limit\":10,\"remaining\":0,\"reset\":30,\"retry_after\":2,\"unavailable\":\"local\"},"
      + "\"policy_version\":\"" + V2 + "\"}}";

  private static String answer(Decision d, String id) {
    return JsonCodec.write(g -> AuthZenCodec.write(g, d, id)).toString();
  }

  @Test
  void answersAreTheSameBytesInAnyOrder() {
    for (int round = 0; round < 3; round++) {
      assertThat(answer(DENY, "d-1")).isEqualTo(DENY_BYTES);
      assertThat(answer(ALLOW, "d-2")).isEqualTo(ALLOW_BYTES);
      assertThat(answer(ALLOW_PLAIN, "d-3")).isEqualTo(ALLOW_PLAIN_BYTES);
      assertThat(answer(LIMITED, "d-4")).isEqualTo(LIMITED_BYTES);
    }
  }

  @Test
  void aBatchAnswerIsTheItemsSideBySide() {
    String batch = JsonCodec.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("evaluations");
      AuthZenCodec.write(g, DENY, "d-1");
      AuthZenCodec.writeItemError(g, ApiException.invalidAt("$.evaluations[1].subject", "`subject` is required"));
      AuthZenCodec.write(g, LIMITED, "d-4");
      g.writeEndArray();
      g.writeEndObject();
    }).toString();
    assertThat(batch).isEqualTo("{\"evaluations\":[" + DENY_BYTES + ",{\"decision\":false,\"context\":{\"error\":"
        + "{\"status\":400,\"code\":\"invalid_request\",\"message\":\"`subject` is required\","
        + "\"path\":\"$.evaluations[1].subject\"}}}," + LIMITED_BYTES + "]}");
  }

  /** A writer that fails halfway leaves nothing behind for the next answer on its thread: no open object, no bytes. */
  @Test
  void anAnswerAfterAWriterThrewIsWhole() {
    for (Throwable thrown : List.of(new IllegalStateException("a writer's bug"), new StackOverflowError())) {
      assertThatThrownBy(() -> JsonCodec.write(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("evaluations");
        AuthZenCodec.write(g, ALLOW, "d-2");
        g.writeStartObject();
        g.writeFieldName("half");
        if (thrown instanceof Error e) {
          throw e;
        }
        throw (RuntimeException) thrown;
      })).isSameAs(thrown);
      assertThat(answer(DENY, "d-1")).isEqualTo(DENY_BYTES);
      assertThat(answer(ALLOW, "d-2")).isEqualTo(ALLOW_BYTES);
    }
  }

  /** A writer that returns with objects still open gets them closed, as a closed generator did, and the next answer is whole. */
  @Test
  void anAnswerLeftOpenIsClosedAndTheNextIsWhole() {
    assertThat(JsonCodec.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("evaluations");
      g.writeStartObject();
    }).toString()).isEqualTo("{\"evaluations\":[{}]}");
    assertThat(answer(DENY, "d-1")).isEqualTo(DENY_BYTES);
  }

  /** A writer may close the generator itself, as with one made per answer; the next answer gets a working one. */
  @Test
  void anAnswerAfterAWriterClosedTheGeneratorIsWhole() {
    assertThat(JsonCodec.write(g -> {
      AuthZenCodec.write(g, DENY, "d-1");
      g.close();
    }).toString()).isEqualTo(DENY_BYTES);
    assertThat(answer(LIMITED, "d-4")).isEqualTo(LIMITED_BYTES);
  }

  /** An answer larger than the generator's own buffer and the kept scratch array, then small ones. */
  @Test
  void anAnswerAfterAVeryLargeOneIsWhole() {
    int items = 2_000;
    String big = JsonCodec.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("evaluations");
      for (int i = 0; i < items; i++) {
        AuthZenCodec.write(g, ALLOW, "d-2");
      }
      g.writeEndArray();
      g.writeEndObject();
    }).toString();
    assertThat(big.length()).isGreaterThan(256 * 1024);
    assertThat(big).isEqualTo("{\"evaluations\":[" + String.join(",", java.util.Collections.nCopies(items, ALLOW_BYTES))
        + "]}");
    assertThat(answer(DENY, "d-1")).isEqualTo(DENY_BYTES);
    assertThat(answer(LIMITED, "d-4")).isEqualTo(LIMITED_BYTES);
  }

  /** A write within a write (an answer that embeds another) gets a generator of its own. */
  @Test
  void aWriteWithinAWriteIsWholeAndSoIsTheOuter() {
    String outer = JsonCodec.write(g -> {
      g.writeStartObject();
      g.writeStringField("inner", answer(DENY, "d-1"));
      g.writeFieldName("after");
      AuthZenCodec.write(g, LIMITED, "d-4");
      g.writeEndObject();
    }).toString();
    assertThat(JsonCodec.parseDocument(io.vertx.core.buffer.Buffer.buffer(outer)).get("inner").asText())
        .isEqualTo(DENY_BYTES);
    assertThat(outer).endsWith(",\"after\":" + LIMITED_BYTES + "}");
    assertThat(answer(ALLOW, "d-2")).isEqualTo(ALLOW_BYTES);
  }

  /**
   * Writing an answer allocates the answer and little else: a generator made per answer cost
   * its own objects and write contexts (about 300 bytes more for this one).
   */
  @Test
  void anAnswerAllocatesLittleBesidesItself() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      answer(ALLOW_PLAIN, "d-3");
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000; i++) {
      JsonCodec.write(g -> AuthZenCodec.write(g, ALLOW_PLAIN, "d-3"));
    }
    long perAnswer = (threads.getCurrentThreadAllocatedBytes() - before) / 1_000;
    assertThat(perAnswer).as("bytes allocated per answer of %d bytes", ALLOW_PLAIN_BYTES.length())
        .isLessThan(ALLOW_PLAIN_BYTES.length() + 400L);
  }
}
