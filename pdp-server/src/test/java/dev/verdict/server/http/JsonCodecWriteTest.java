package dev.verdict.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Answers written with {@link JsonCodec#write}: the same bytes whatever their size, and no more allocated than they need. */
class JsonCodecWriteTest {
  /** Made once: the measured writes allocate nothing of their own. */
  private static final String[] VERSIONS = new String[5_000];

  static {
    for (int i = 0; i < VERSIONS.length; i++) {
      VERSIONS[i] = "sha256:" + "ab".repeat(32) + "-" + i;
    }
  }

  @Test
  void smallLargeAndNestedAnswersAreWrittenWhole() {
    for (int items : new int[] {0, 1, 30, 400, 5_000, 3}) {
      Buffer b = JsonCodec.write(g -> items(g, items));
      assertThat(b.toString()).as("%d items", items).isEqualTo(expected(items));
    }
    Buffer outer = JsonCodec.write(g -> {
      g.writeStartObject();
      g.writeStringField("inner", JsonCodec.write(inner -> items(inner, 30)).toString());
      g.writeEndObject();
    });
    assertThat(JsonCodec.parseDocument(outer).get("inner").asText()).isEqualTo(expected(30));
  }

  @Test
  void aBatchAnswerIsNotGrownByDoublingItsBuffer() {
    assertThat(bytesPerBatchAnswer()).as("bytes allocated per batch answer").isLessThan(BATCH_BOUND);
  }

  /** A writer that fails (a bug, not bad input) must not leave its thread without its reusable array. */
  @Test
  void aWriterThatThrowsLeavesTheThreadsArrayReusable() {
    for (int i = 0; i < 3; i++) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonCodec.write(g -> {
        g.writeStartObject();
        throw new IllegalArgumentException("a writer's bug");
      })).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(bytesPerBatchAnswer()).as("bytes allocated per batch answer").isLessThan(BATCH_BOUND);
  }

  /** Allowed per batch answer: the answer itself, and the generator's few objects. */
  private static final long BATCH_BOUND = expected(48).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 4_096L;

  private static long bytesPerBatchAnswer() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int length = expected(48).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertThat(length).as("over the generator's own 8,000-byte buffer").isBetween(8_500, 12_000);
    for (int i = 0; i < 3_000; i++) {
      JsonCodec.write(g -> items(g, 48));
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100; i++) {
      JsonCodec.write(g -> items(g, 48));
    }
    // a buffer of 512 bytes doubled to 16 KiB allocated about 32 KiB for this answer
    return (threads.getCurrentThreadAllocatedBytes() - before) / 100;
  }

  private static void items(JsonGenerator g, int n) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("evaluations");
    for (int i = 0; i < n; i++) {
      g.writeStartObject();
      g.writeBooleanField("decision", i % 2 == 0);
      g.writeObjectFieldStart("context");
      g.writeStringField("decision_id", "0123456789abcdef0123456789abcdef");
      g.writeStringField("outcome", "allow \u00e9\u2028\"");
      g.writeStringField("policy_version", VERSIONS[i]);
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String expected(int n) {
    StringBuilder b = new StringBuilder("{\"evaluations\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"decision\":").append(i % 2 == 0)
          .append(",\"context\":{\"decision_id\":\"0123456789abcdef0123456789abcdef\",\"outcome\":\"allow \u00e9\u2028\\\"\"")
          .append(",\"policy_version\":\"sha256:").append("ab".repeat(32)).append('-').append(i).append("\"}}");
    }
    return b.append("]}").toString();
  }

  /** Trees (native answers, errors) are written through the same kept generator: the same bytes as before, whatever came before them. */
  @Test
  void treesAreEncodedAsBeforeAfterAnythingElseOnTheThread() {
    com.fasterxml.jackson.databind.node.ObjectNode tree = JsonCodec.object();
    tree.put("decisionId", "d-1").put("price", new java.math.BigDecimal("1.50")).put("big", 12345678901234L)
        .put("text", "\u00e9\u2028\"\t").putNull("rate");
    tree.putArray("results").addObject().put("allowed", true).putObject("readMask").put("ssn", "partial(4)");
    String expected = "{\"decisionId\":\"d-1\",\"price\":1.50,\"big\":12345678901234,\"text\":\"\u00e9\u2028\\\"\\t\","
        + "\"rate\":null,\"results\":[{\"allowed\":true,\"readMask\":{\"ssn\":\"partial(4)\"}}]}";
    for (int i = 0; i < 3; i++) {
      assertThat(JsonCodec.encode(tree).toString()).isEqualTo(expected);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonCodec.write(g -> {
        g.writeStartArray();
        throw new IllegalStateException("a writer's bug");
      })).isInstanceOf(IllegalStateException.class);
      assertThat(JsonCodec.write(g -> items(g, 3)).toString()).isEqualTo(expected(3));
    }
  }
}
