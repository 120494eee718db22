package dev.verdict.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {
  @TempDir
  Path dir;

  @Test
  void whatAVersionRemovedIsMeasuredEvenWhenNoRequestLookedAtTheOneBefore() throws Exception {
    Files.writeString(dir.resolve("p.verdict"), """
        policy p on Doc {
          @id("a") permit read
          @id("b") permit write
        }
        """);
    Engine engine = Engine.builder(PolicySource.directory(dir)).buildUnloaded();
    PolicyStore store = new PolicyStore(engine, dir, Clock.systemUTC());
    assertThat(store.reload().ok()).isTrue();
    Files.writeString(dir.resolve("p.verdict"), """
        policy p on Doc {
          @id("a") permit read
        }
        """);
    ReloadOutcome next = store.reload();
    assertThat(next.changed()).isTrue();
    assertThat(next.removed().rules()).containsExactly("b");
    assertThat(store.current().orElseThrow().removed().rules()).containsExactly("b");
  }

  @Test
  void aSetTheEngineActivatesElsewhereShowsToo() throws Exception {
    Files.writeString(dir.resolve("p.verdict"), "policy p on Doc {\n  @id(\"a\") permit read\n}\n");
    Engine engine = Engine.builder(PolicySource.directory(dir)).buildUnloaded();
    PolicyStore store = new PolicyStore(engine, dir, Clock.systemUTC());
    store.reload();
    String before = store.current().orElseThrow().version();
    Engine.Staged staged = engine.stage(PolicySource.files(java.util.Map.of("p.verdict",
        "policy p on Doc {\n  @id(\"a\") permit read, write\n}\n")));
    engine.activate(staged.policy().orElseThrow());
    assertThat(store.current().orElseThrow().version()).isEqualTo(staged.result().version()).isNotEqualTo(before);
  }
}
