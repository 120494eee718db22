package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.cli.VerdictCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code verdict hash-key} reads the key from stdin and prints its configuration form. */
class HashKeyCommandTest {
  static String[] run(String stdin) {
    InputStream saved = System.in;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      int code = VerdictCommand.execute(new PrintWriter(out), new PrintWriter(err), "hash-key");
      return new String[] {String.valueOf(code), out.toString(), err.toString()};
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void printsTheSha256Form() {
    String[] r = run("my-secret-key-0123456789\n");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1].trim()).isEqualTo(ApiKeys.hash("my-secret-key-0123456789")).matches("sha256:[0-9a-f]{64}");
    assertThat(ApiKeys.parseHash(r[1].trim())).isPresent();
  }

  @Test
  void refusesShortKeys() {
    String[] r = run("short\n");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("at least 16 characters");
  }
}
