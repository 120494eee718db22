package dev.verdict.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad input of issue 3, each read from disk through {@link Verdict#check}: every one
 * gives a diagnostic with its code and position, and nothing escapes as an exception.
 */
class BadInputTest {
  @TempDir
  Path dir;

  private CheckResult check(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return Verdict.check(List.of(file));
  }

  private CheckResult checkBytes(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return Verdict.check(List.of(file));
  }

  private String name(String file) {
    return dir.resolve(file).toString().replace('\\', '/');
  }

  private static Diagnostic only(CheckResult r) {
    assertThat(r.diagnostics()).hasSize(1);
    return r.diagnostics().get(0);
  }

  @Test
  void truncatedFile() throws IOException {
    Diagnostic d = only(check("t.verdict", "role owner on Account when resource.owner =="));
    assertThat(d.code()).isEqualTo(Code.SYNTAX);
    assertThat(d.span().location()).isEqualTo(name("t.verdict") + ":1:45");
    assertThat(d.message()).isEqualTo("expected an expression, found end of file");
  }

  @Test
  void unclosedBrace() throws IOException {
    Diagnostic d = only(check("u.verdict", "policy p on A {\n  permit read\n"));
    assertThat(d.code()).isEqualTo(Code.SYNTAX);
    assertThat(d.span().location()).isEqualTo(name("u.verdict") + ":1:15");
    assertThat(d.message()).isEqualTo("`{` is never closed");
  }

  @Test
  void unmatchedClosingBrace() throws IOException {
    CheckResult r = check("u.verdict", "policy p on A {\n}\n}\n");
    assertThat(r.diagnostics()).isNotEmpty().allSatisfy(d -> {
      assertThat(d.code()).isEqualTo(Code.SYNTAX);
      assertThat(d.span().location()).isEqualTo(name("u.verdict") + ":3:1");
    });
    assertThat(r.diagnostics().get(0).message()).isEqualTo("`}` has no matching opening bracket");
  }

  private static final String HEAD = "role r on * when ";

  @Test
  void tenThousandNestedParentheses() throws IOException {
    assertTooDeep(HEAD + "(".repeat(10_000) + "true" + ")".repeat(10_000), 18 + 64);
  }

  @Test
  void tenThousandNestedNots() throws IOException {
    assertTooDeep(HEAD + "not ".repeat(10_000) + "true", 18 + 64 * 4);
  }

  @Test
  void tenThousandNestedIfs() throws IOException {
    assertTooDeep(HEAD + "if true then ".repeat(10_000) + "true" + " else false".repeat(10_000), 18 + 64 * 13);
  }

  @Test
  void tenThousandNestedListsAndNegations() throws IOException {
    assertTooDeep(HEAD + "[".repeat(10_000) + "]".repeat(10_000), 18 + 64);
    assertTooDeep(HEAD + "-".repeat(10_000) + "principal.x", 18 + 64);
  }

  @Test
  void tenThousandOperandOrChain() throws IOException {
    // A chain parses in a loop but builds a tree 10,000 deep; it is refused before any stage walks it.
    Diagnostic d = assertTooDeep(HEAD + "true or ".repeat(9_999) + "true", 18);
    assertThat(d.message()).isEqualTo("expression nested too deeply (more than 256 levels)");
  }

  private Diagnostic assertTooDeep(String text, int column) throws IOException {
    Diagnostic d = only(check("deep.verdict", text));
    assertThat(d.code()).isEqualTo(Code.TOO_DEEP);
    assertThat(d.span().location()).isEqualTo(name("deep.verdict") + ":1:" + column);
    return d;
  }

  @Test
  void fiftyMegabyteFile() throws IOException {
    Path file = dir.resolve("big.verdict");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(50L * 1024 * 1024); // sparse: takes no disk space, and is never read
    }
    Diagnostic d = only(Verdict.check(List.of(file)));
    assertThat(d.code()).isEqualTo(Code.FILE_TOO_LARGE);
    assertThat(d.span().location()).isEqualTo(name("big.verdict"));
    assertThat(d.message()).isEqualTo("file is 52428800 bytes, more than the limit of 2097152 bytes");
  }

  @Test
  void invalidUtf8() throws IOException {
    byte[] bytes = "role a\nrole \u00e9 \u00ff b\n".getBytes(StandardCharsets.UTF_8);
    bytes[bytes.length - 4] = (byte) 0xC3; // a lead byte followed by a space: malformed
    Diagnostic d = only(checkBytes("bad.verdict", bytes));
    assertThat(d.code()).isEqualTo(Code.INVALID_UTF8);
    assertThat(d.span().location()).isEqualTo(name("bad.verdict") + ":2:8");
    assertThat(d.message()).isEqualTo("invalid UTF-8 byte 0xC3 at line 2, column 8");
  }

  @Test
  void nulByte() throws IOException {
    Diagnostic d = only(checkBytes("nul.verdict", "role a\nrole b\u0000\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(d.code()).isEqualTo(Code.NUL_BYTE);
    assertThat(d.span().location()).isEqualTo(name("nul.verdict") + ":2:7");
  }

  @Test
  void emptyDirectory() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Diagnostic d = only(Verdict.check(List.of(empty)));
    assertThat(d.code()).isEqualTo(Code.NO_POLICIES);
    assertThat(d.span().location()).isEqualTo(name("empty"));
    assertThat(d.message()).isEqualTo("no policy files found in `" + empty + "`");
  }

  @Test
  void directoryThatDoesNotExist() {
    Path missing = dir.resolve("missing");
    Diagnostic d = only(Verdict.check(List.of(missing)));
    assertThat(d.code()).isEqualTo(Code.NOT_FOUND);
    assertThat(d.span().location()).isEqualTo(name("missing"));
    assertThat(d.message()).isEqualTo("`" + missing + "` does not exist");
  }

  @Test
  void symbolicLinkLoop() throws IOException {
    Path set = Files.createDirectory(dir.resolve("set"));
    Files.writeString(set.resolve("a.verdict"), "role a\n");
    try {
      Files.createSymbolicLink(set.resolve("loop"), set);
    } catch (UnsupportedOperationException | IOException | SecurityException e) {
      assumeTrue(false, "the file system refuses symbolic links: " + e);
    }
    CheckResult r = Verdict.check(List.of(set));
    Diagnostic d = only(r);
    assertThat(d.code()).isEqualTo(Code.SYMLINK_LOOP);
    assertThat(d.span().location()).isEqualTo(name("set/loop"));
    assertThat(r.files()).hasSize(1);
  }
}
