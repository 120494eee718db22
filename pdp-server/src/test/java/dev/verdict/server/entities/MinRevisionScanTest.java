package dev.verdict.server.entities;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which bodies are read a second time for {@code "minRevision"}: every body whose bytes hold the
 * quoted name, wherever it is (the second read then looks for the top-level member only), and
 * none other. The same answers as the byte-at-a-time scan it replaced, at the scan's edges.
 */
class MinRevisionScanTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a top-level member                          | {"subject":{},"minRevision":12}                   | true
      the first bytes of the body                 | "minRevision"                                     | true
      the last bytes of the body                  | {"a":1,"b":"minRevision"                          | true
      a nested object's member                    | {"context":{"minRevision":3}}                     | true
      inside a string, after an escaped quote     | {"a":"x\\"minRevision\\""}                       | false
      after an escaped quote, its own quote ends it | {"a":"\\"minRevision"}                          | true
      a quote doubled before it                   | {""minRevision":1}                                | true
      cut short at the end                        | {"a":1,"minRevisio                                | false
      one byte short of its closing quote         | {"a":1,"minRevision                               | false
      another member that starts the same         | {"minRevisions":1,"minRevisio":2,"minrevision":3} | false
      a name escaped as \\u                        | {"min\\u0052evision":1}                          | false
      no quotes at all                            | minRevision                                       | false
      shorter than the name                       | {}                                                | false
      """)
  void aBodyIsReadAgainOnlyWhenItsBytesHoldTheQuotedName(String what, String body, boolean names) {
    assertThat(MinRevision.names(Buffer.buffer(body))).as(what).isEqualTo(names);
    // the same body received in the middle of a larger array
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Buffer around = Buffer.buffer("\"minRevision\"").appendBytes(bytes).appendString("\"minRevision\"");
    assertThat(MinRevision.names(around.slice(13, 13 + bytes.length))).as(what + ", in a slice").isEqualTo(names);
  }
}
