package dev.verdict.server.http.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A body's bytes are read where they were received, whatever part of its array the body is. */
class ReceivedBytesTest {
  static String text(ReceivedBytes b) {
    return new String(b.array(), b.offset(), b.length(), StandardCharsets.UTF_8);
  }

  @Test
  void aBodyIsItsOwnPartOfTheArrayItWasReceivedInto() {
    String body = "{\"subject\":{\"type\":\"User\",\"id\":\"é\"}}";
    Buffer whole = Buffer.buffer("[1,2," + body + ",3]");
    Buffer received = whole.slice(5, 5 + body.getBytes(StandardCharsets.UTF_8).length);
    ReceivedBytes b = ReceivedBytes.of(received);
    assertThat(text(b)).isEqualTo(body);
    assertThat(b.offset()).isEqualTo(5); // in place: not a copy of its own
    assertThat(text(ReceivedBytes.of(Buffer.buffer(body)))).isEqualTo(body);
  }

  @Test
  void anEmptyOrMissingBodyIsKnownAsSuch() {
    assertThat(ReceivedBytes.of(null)).isNull();
    assertThat(ReceivedBytes.of(Buffer.buffer()).length()).isZero();
  }
}
