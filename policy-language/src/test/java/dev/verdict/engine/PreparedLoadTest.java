package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.PolicySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: the set {@code serve} compiles during its command line is served only if it is the one on disk. */
class PreparedLoadTest {
  static final String SCHEMA = "entity Account { owner: String }\n";
  static final String POLICY = "policy accounts on Account {\n  @id(\"all\") permit read\n}\n";
  static final String CHANGED = "policy accounts on Account {\n  @id(\"all\") permit read, write\n}\n";

  @TempDir
  Path dir;

  @AfterEach
  void nothingLeftPrepared() {
    PreparedLoad.take();
  }

  private Path set(String name, String policy) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("schema.verdict"), SCHEMA);
    Files.writeString(d.resolve("accounts.verdict"), policy);
    return d;
  }

  private static PolicySet served(Path set) {
    return Engine.builder(PolicySource.directory(set)).buildOrThrow().active().orElseThrow().set();
  }

  @Test
  void theFirstEngineOfTheSameUnchangedFilesServesThePreparedSet() throws IOException {
    Path set = set("banking", POLICY);
    LoadResult prepared = PreparedLoad.prepare(PolicySource.directory(set));

    PolicySet served = served(set);

    assertThat(served).isSameAs(prepared.policySet().orElseThrow());
    assertThat(served.version()).isEqualTo(Verdict.load(set).policySet().orElseThrow().version());
  }

  @Test
  void aFileChangedBetweenPrepareAndLoadIsCompiledAgain() throws IOException {
    Path set = set("banking", POLICY);
    LoadResult prepared = PreparedLoad.prepare(PolicySource.directory(set));
    Files.writeString(set.resolve("accounts.verdict"), CHANGED);

    PolicySet served = served(set);

    assertThat(served).isNotSameAs(prepared.policySet().orElseThrow());
    assertThat(served.version()).isEqualTo(Verdict.load(set).policySet().orElseThrow().version())
        .isNotEqualTo(prepared.policySet().orElseThrow().version());
  }

  @Test
  void anotherDirectoryWithTheSameFilesIsCompiledItself() throws IOException {
    Path one = set("one", POLICY);
    Path other = set("other", POLICY);
    LoadResult prepared = PreparedLoad.prepare(PolicySource.directory(one));

    assertThat(served(other)).isNotSameAs(prepared.policySet().orElseThrow());
  }

  @Test
  void theFirstLoadDropsItUsedOrNot() throws IOException {
    Path set = set("banking", POLICY);
    Path other = set("other", POLICY);
    LoadResult prepared = PreparedLoad.prepare(PolicySource.directory(set));
    served(other); // not used: another directory

    assertThat(served(set)).isNotSameAs(prepared.policySet().orElseThrow());
    assertThat(PreparedLoad.take()).isEmpty();

    LoadResult again = PreparedLoad.prepare(PolicySource.directory(set));
    assertThat(served(set)).isSameAs(again.policySet().orElseThrow());
    assertThat(served(set)).as("a second engine compiles for itself").isNotSameAs(again.policySet().orElseThrow());
  }

  @Test
  void onlyAnEnginesFirstLoadTakesIt() throws IOException {
    Path set = set("banking", POLICY);
    Engine engine = Engine.builder(PolicySource.directory(set)).buildOrThrow();
    LoadResult prepared = PreparedLoad.prepare(PolicySource.directory(set));
    engine.reload();

    assertThat(engine.active().orElseThrow().set()).isNotSameAs(prepared.policySet().orElseThrow());
    assertThat(served(set)).as("left for the next engine's first load").isSameAs(prepared.policySet().orElseThrow());
  }

  @Test
  void aSetWithErrorsGivesTheSameDiagnosticsEitherWay() throws IOException {
    Path set = set("broken", "policy accounts on Account {\n  @id(\"all\") permit read when resource.nope\n}\n");
    ReloadResult fresh = Engine.builder(PolicySource.directory(set)).buildUnloaded().reload();
    PreparedLoad.prepare(PolicySource.directory(set));

    ReloadResult prepared = Engine.builder(PolicySource.directory(set)).buildUnloaded().reload();

    assertThat(prepared.ok()).isFalse();
    assertThat(prepared.diagnostics()).isEqualTo(fresh.diagnostics()).isNotEmpty();
  }
}
