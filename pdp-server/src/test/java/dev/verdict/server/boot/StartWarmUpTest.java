package dev.verdict.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: the warm-up before `serve` knows its configuration must keep doing its work. */
class StartWarmUpTest {
  @Test
  void theBuiltInSetCompilesSoTheWarmUpRunsTheWholeCompiler() {
    // a set with errors would stop at the first of them: parse and check would be warmed only partly
    assertThat(StartWarmUp.run()).isTrue();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void theThrowawayVertxStartsAndClosesOnEitherTransport(boolean ioUring) {
    assertThat(StartWarmUp.vertx(ioUring)).isTrue();
  }

  @Test
  void ioUringIsLeftAloneWhenTheCommandLineOrTheEnvironmentSaysNio() {
    Map<String, String> none = Map.of();
    assertThat(StartWarmUp.mayTryIoUring(new String[] {"serve"}, none)).isTrue();
    assertThat(StartWarmUp.mayTryIoUring(new String[] {"serve", "--transport", "nio"}, none)).isFalse();
    assertThat(StartWarmUp.mayTryIoUring(new String[] {"serve", "--transport=NIO"}, none)).isFalse();
    assertThat(StartWarmUp.mayTryIoUring(new String[] {"serve"}, Map.of("VERDICT_TRANSPORT", "nio"))).isFalse();
    assertThat(StartWarmUp.mayTryIoUring(new String[] {"serve", "--transport", "auto"},
        Map.of("VERDICT_TRANSPORT", "nio"))).as("the flag wins").isTrue();
    assertThat(StartWarmUp.mayTryIoUring(new String[] {"serve"}, Map.of("VERDICT_TRANSPORT", "io_uring"))).isTrue();
  }

  @Test
  void awaitingWithoutAWarmUpReturnsAtOnce() {
    StartWarmUp.await();
  }

  @Test
  void theDirectoryTheCommandLineOrTheEnvironmentNamesIsCompiled(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("p.verdict"), "entity Doc {}\npolicy p on Doc {\n  @id(\"all\") permit read\n}\n");
    assertThat(StartWarmUp.run(Optional.of(dir))).isTrue();
    Files.writeString(dir.resolve("p.verdict"), "policy p on {\n");
    assertThat(StartWarmUp.run(Optional.of(dir))).as("the set's own errors, not the built-in set's").isFalse();
    assertThat(StartWarmUp.run(Optional.of(dir.resolve("missing")))).as("no directory: the built-in set").isTrue();
  }

  @Test
  void thePolicyDirectoryIsGuessedAsTheConfigurationResolvesIt() {
    Map<String, String> none = Map.of();
    Map<String, String> env = Map.of("VERDICT_POLICIES", "from/env");
    assertThat(StartWarmUp.policies(new String[] {"serve", "--policies", "a/b"}, env)).contains(Path.of("a/b"));
    assertThat(StartWarmUp.policies(new String[] {"serve", "--port=0", "--policies=a/b"}, env)).contains(Path.of("a/b"));
    assertThat(StartWarmUp.policies(new String[] {"serve"}, env)).contains(Path.of("from/env"));
    assertThat(StartWarmUp.policies(new String[] {"serve", "--config", "verdict.yaml"}, env))
        .as("the environment wins over the file").contains(Path.of("from/env"));
    assertThat(StartWarmUp.policies(new String[] {"serve", "--config", "verdict.yaml"}, none)).isEmpty();
    assertThat(StartWarmUp.policies(new String[] {"serve"}, Map.of("VERDICT_POLICIES", ""))).isEmpty();
    assertThat(StartWarmUp.policies(new String[] {"serve", "--policies"}, none)).isEmpty();
  }
}
