package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Issue 9.11: every verb has its help, the version names the build, an unknown verb is an error. */
class HelpAndVersionTest {
  @ParameterizedTest
  @ValueSource(strings = {"check", "fmt", "test", "eval", "serve", "hash-key", "dev-token"})
  void everyVerbPrintsItsHelpAndExitsZero(String verb) {
    for (String flag : new String[] {"--help", "-h"}) {
      CliRun run = CliRun.of(verb, flag);
      assertThat(run.code()).as(verb + " " + flag + ": " + run.err()).isZero();
      assertThat(run.out()).startsWith("Usage: verdict " + verb);
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void helpVerbPrintsAVerbsHelp() {
    CliRun run = CliRun.of("help", "check");
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("Usage: verdict check");
  }

  @Test
  void versionNamesTheProjectVersionAndTheCommit() {
    CliRun run = CliRun.of("--version");
    assertThat(run.code()).isZero();
    // The commit is "unknown" only when the build ran outside a git checkout (a source archive).
    assertThat(run.out().strip()).matches("verdict \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}(-dirty)?|unknown)\\)");
    assertThat(run.out()).doesNotContain("development");
    assertThat(CliRun.of("-V").out()).isEqualTo(run.out());
  }

  @Test
  void anUnknownVerbIsAUsageErrorNamingTheVerbsEvenWithHelp() {
    for (String[] args : new String[][] {{"compile", "--help"}, {"compile"}, {"--help", "compile"}, {"chek", "policies"}}) {
      CliRun run = CliRun.of(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(VerdictCommand.USAGE);
      assertThat(run.out()).as(String.join(" ", args)).isEmpty();
      assertThat(run.err()).contains("unknown command `" + (args[0].startsWith("-") ? args[1] : args[0]) + "`")
          .contains("`check`, `fmt`, `test`, `eval`, `plan`, `bench`, `serve`, `hash-key`, `dev-token`, `bundle`, `entities` and `help`");
      assertThat(run.showsNoException()).isTrue();
    }
    assertThat(CliRun.of("chek", "policies").err()).contains("did you mean `check`?");
  }

  @Test
  void noVerbIsAUsageErrorAndTopLevelHelpStillWorks() {
    CliRun none = CliRun.of();
    assertThat(none.code()).isEqualTo(VerdictCommand.USAGE);
    CliRun help = CliRun.of("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).startsWith("Usage: verdict").contains("check").contains("serve");
  }

  /** Issue 16: picocli reflects over every verb it is given; `serve` starts faster with its own alone. */
  @Test
  void aCommandLineBuildsOnlyTheVerbItNames() {
    assertThat(VerdictCommand.commandLine("serve", "--port", "0").getSubcommands().keySet()).containsExactly("serve");
    assertThat(VerdictCommand.commandLine("--help").getSubcommands().keySet())
        .containsExactly("check", "fmt", "test", "eval", "plan", "bench", "serve", "hash-key", "dev-token", "bundle",
            "entities", "help");
    assertThat(VerdictCommand.commandLine("help", "serve").getSubcommands()).hasSize(12);
    CliRun version = CliRun.of("serve", "-V");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("verdict ");
  }
}
