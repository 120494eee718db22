package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory of policy sets (like {@code policies/}) is checked and tested set by set. */
class WorkspaceCommandTest {
  static final String SET = """
      role admin
      policy p on Doc {
        @id("admins") permit read to admin
      }
      test "admin reads" {
        principal { id: "a", roles: ["admin"] }
        resource Doc "d"
        action read
        expect allow because "admins"
      }
      """;

  private static Path workspace(Path dir) throws Exception {
    // The same names in two sets: one set would report duplicates, two sets are fine.
    Files.createDirectories(dir.resolve("one"));
    Files.createDirectories(dir.resolve("two/nested"));
    Files.writeString(dir.resolve("one/a.verdict"), SET);
    Files.writeString(dir.resolve("two/nested/a.verdict"), SET);
    return dir;
  }

  @Test
  void checksEachSetOnItsOwn(@TempDir Path dir) throws Exception {
    var r = TestAndEvalCommandTest.run("check", workspace(dir).toString());
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).isEqualTo("ok: 2 policy sets, 2 files checked, 0 warnings" + System.lineSeparator());
  }

  @Test
  void aSetWithFilesAtItsRootIsOneSet(@TempDir Path dir) throws Exception {
    workspace(dir);
    Files.writeString(dir.resolve("root.verdict"), "role reader\n");
    var r = TestAndEvalCommandTest.run("check", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("error[V0301]").contains("role `admin` is defined twice");
  }

  @Test
  void testsEverySet(@TempDir Path dir) throws Exception {
    var r = TestAndEvalCommandTest.run("test", workspace(dir).toString(), "--coverage");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("coverage: 2 of 2").contains("ok: 2 tests, 0 failed");
  }

  /** Issue 9.10: one broken set is reported, and the others are still tested and written to JUnit. */
  @Test
  void aBrokenSetDoesNotStopTheOthers(@TempDir Path dir) throws Exception {
    workspace(dir);
    Files.createDirectories(dir.resolve("three"));
    Files.writeString(dir.resolve("three/a.verdict"), "policy p on Doc { permit read to }\n");
    Path junit = dir.resolve("junit.xml");
    var r = TestAndEvalCommandTest.run("test", dir.toString(), "--junit", junit.toString());
    assertThat(r.code()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains("error[V0201]").contains("three")
        .contains("the policy set does not load: 1 error, 0 warnings in 1 file")
        .contains("FAILED: 3 tests, 1 failed");
    assertThat(junit).exists();
    assertThat(Files.readString(junit)).contains("admin reads").contains("failures=\"1\"");
  }
}
