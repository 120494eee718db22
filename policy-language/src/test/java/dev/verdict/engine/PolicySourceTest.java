package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.SourceSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySourceTest {
  static final String POLICY = "policy p on Doc {\n  @id(\"all\") permit read\n}\n";

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String messages(SourceSet s) {
    return String.join("\n", s.diagnostics().stream().map(Diagnostic::message).toList());
  }

  @Test
  void everySourceOfTheSameFilesGivesTheSameVersion(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("set/nested"));
    Files.writeString(dir.resolve("set/p.verdict"), POLICY);
    Files.writeString(dir.resolve("set/nested/q.verdict"), "policy q on Note {\n  @id(\"notes\") permit read\n}\n");
    Map<String, String> files = Map.of("p.verdict", POLICY,
        "nested/q.verdict", "policy q on Note {\n  @id(\"notes\") permit read\n}\n");
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    Path archive = dir.resolve("set.zip");
    Files.write(archive, zip(bytes));

    String fromDir = version(PolicySource.directory(dir.resolve("set")));
    assertThat(version(PolicySource.files(files))).isEqualTo(fromDir);
    assertThat(version(PolicySource.bundle(archive))).isEqualTo(fromDir);
    assertThat(version(PolicySource.bundle("pushed", zip(bytes)))).isEqualTo(fromDir);
    assertThat(version(PolicySource.classpath("engine/policies"))).isEqualTo(fromDir);
  }

  private static String version(PolicySource s) {
    Engine e = Engine.builder(s).buildOrThrow();
    return e.active().orElseThrow().version();
  }

  @Test
  void bundleEntriesThatLeaveTheSetAreRefused() throws IOException {
    for (String name : new String[] {"../evil.verdict", "a/../../evil.verdict", "/etc/evil.verdict",
        "C:/evil.verdict", "a\\evil.verdict", "bad\u0001.verdict"}) {
      SourceSet s = PolicySource.bundle("b", zip(Map.of(name, POLICY.getBytes(StandardCharsets.UTF_8)))).read();
      assertThat(s.policies()).as(name).isEmpty();
      assertThat(messages(s)).as(name).contains("bundle entry");
    }
  }

  @Test
  void aZipBombIsStoppedAtTheFileBound() throws IOException {
    byte[] zeros = new byte[3 * 1024 * 1024]; // compresses to a few KB, expands past 2 MB
    byte[] archive = zip(Map.of("big.verdict", zeros));
    assertThat(archive.length).isLessThan(64 * 1024);
    SourceSet s = PolicySource.bundle("bomb", archive).read();
    assertThat(s.policies()).isEmpty();
    assertThat(messages(s)).contains("expands past");
  }

  @Test
  void garbageIsNotAnArchive() {
    SourceSet s = PolicySource.bundle("junk", "not a zip at all".getBytes(StandardCharsets.UTF_8)).read();
    assertThat(s.diagnostics()).isNotEmpty();
    assertThat(s.policies()).isEmpty();
  }

  @Test
  void aMissingClasspathDirectoryIsADiagnostic() {
    SourceSet s = PolicySource.classpath("no/such/dir").read();
    assertThat(messages(s)).contains("is not on the class path");
  }

  @Test
  void aSymlinkSwapOfTheDirectorySwitchesTheWholeSet(@TempDir Path dir) throws IOException {
    Path v1 = Files.createDirectories(dir.resolve("v1"));
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    Files.writeString(v1.resolve("p.verdict"), POLICY);
    Files.writeString(v2.resolve("p.verdict"), POLICY.replace("permit read", "permit read, write"));
    Path link = dir.resolve("current");
    Files.createSymbolicLink(link, v1);
    Engine engine = Engine.builder(PolicySource.directory(link)).buildOrThrow();
    String first = engine.active().orElseThrow().version();

    Path next = dir.resolve("next");
    Files.createSymbolicLink(next, v2);
    Files.move(next, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    ReloadResult r = engine.reload();
    assertThat(r.changed()).isTrue();
    assertThat(r.version()).isNotEqualTo(first);
  }
}
