package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmtCommandTest {
  private static final String MESSY = "role   admin,auditor\npolicy p on Account{permit read to admin // why\n}\n";
  private static final String CANONICAL = "role admin, auditor\n\npolicy p on Account {\n  permit read to admin // why\n}\n";

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private String name(String file) {
    return dir.resolve(file).toString().replace('\\', '/');
  }

  @Test
  void rewritesFilesThatAreNotFormattedAndListsThem() throws IOException {
    Path messy = write("a/messy.verdict", MESSY);
    Path done = write("b/done.verdict", CANONICAL);
    CliRun run = CliRun.of("fmt", dir.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(name("a/messy.verdict") + System.lineSeparator());
    assertThat(run.err()).isEmpty();
    assertThat(Files.readString(messy)).isEqualTo(CANONICAL);
    assertThat(Files.readString(done)).isEqualTo(CANONICAL);
    assertThat(dir.resolve("a")).isDirectoryNotContaining("glob:**.tmp");

    CliRun again = CliRun.of("fmt", dir.toString());
    assertThat(again.code()).isZero();
    assertThat(again.out()).isEmpty();
  }

  @Test
  void checkListsUnformattedFilesExitsOneAndWritesNothing() throws IOException {
    Path messy = write("messy.verdict", MESSY);
    write("done.verdict", CANONICAL);
    CliRun run = CliRun.of("fmt", "--check", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEqualTo(name("messy.verdict") + System.lineSeparator());
    assertThat(run.err()).contains("1 file not formatted");
    assertThat(Files.readString(messy)).isEqualTo(MESSY);
  }

  @Test
  void checkPassesOnAFormattedSet() throws IOException {
    write("done.verdict", CANONICAL);
    CliRun run = CliRun.of("fmt", "--check", dir.resolve("done.verdict").toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void filesWithSyntaxErrorsAreNotTouchedButTheOthersAre() throws IOException {
    String broken = "policy p on Account {\n  permit read when\n}\n";
    Path bad = write("bad.verdict", broken);
    Path messy = write("messy.verdict", MESSY);
    CliRun run = CliRun.of("fmt", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("error[V0201]").contains(name("bad.verdict") + ":3:1");
    assertThat(run.out()).isEqualTo(name("messy.verdict") + System.lineSeparator());
    assertThat(Files.readString(bad)).isEqualTo(broken);
    assertThat(Files.readString(messy)).isEqualTo(CANONICAL);
    assertThat(run.showsNoException()).isTrue();
  }

  @Test
  void onlyPolicyFilesAreFormatted() throws IOException {
    Path data = write("users.entities.json", "[ ]");
    Path notes = write("notes.txt", "role   x");
    write("p.verdict", MESSY);
    CliRun run = CliRun.of("fmt", dir.toString());
    assertThat(run.code()).isZero();
    assertThat(Files.readString(data)).isEqualTo("[ ]");
    assertThat(Files.readString(notes)).isEqualTo("role   x");
  }

  @Test
  void aMissingPathIsAUsageError() {
    CliRun run = CliRun.of("fmt", dir.resolve("missing").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("error[V0106]").contains("does not exist");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anEmptyDirectoryIsAnError() {
    CliRun run = CliRun.of("fmt", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("error[V0105]").contains("no policy files found");
  }

  @Test
  void noPathIsAUsageError() {
    CliRun run = CliRun.of("fmt");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("DIR|FILE");
  }

  @Test
  void rewritingKeepsPermissionsAndWritesThroughSymbolicLinks() throws IOException {
    Path real = write("real/p.verdict", MESSY);
    try {
      Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
      Files.createSymbolicLink(dir.resolve("link.verdict"), real);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "needs POSIX permissions and symbolic links: " + e);
    }
    CliRun run = CliRun.of("fmt", dir.resolve("link.verdict").toString());
    assertThat(run.code()).isZero();
    assertThat(Files.isSymbolicLink(dir.resolve("link.verdict"))).isTrue();
    assertThat(Files.readString(real)).isEqualTo(CANONICAL);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(real);
    assertThat(PosixFilePermissions.toString(perms)).isEqualTo("rw-r-----");
  }

  @Test
  void diffPrintsAUnifiedDiffChangesNothingAndExitsOneWhenThereIsADifference() throws IOException {
    Path messy = write("a/messy.verdict", MESSY);
    CliRun run = CliRun.of("fmt", "--diff", messy.toString());
    assertThat(run.code()).isEqualTo(1);
    String name = name("a/messy.verdict");
    assertThat(run.out()).isEqualTo(String.join("\n",
        "--- " + name,
        "+++ " + name + " (formatted)",
        "@@ -1,3 +1,5 @@",
        "-role   admin,auditor",
        "-policy p on Account{permit read to admin // why",
        "+role admin, auditor",
        "+",
        "+policy p on Account {",
        "+  permit read to admin // why",
        " }",
        ""));
    assertThat(run.err()).contains("1 file not formatted");
    assertThat(Files.readString(messy)).isEqualTo(MESSY);

    Path done = write("b/done.verdict", CANONICAL);
    CliRun clean = CliRun.of("fmt", "--diff", done.toString());
    assertThat(clean.code()).isZero();
    assertThat(clean.out()).isEmpty();
  }
}
