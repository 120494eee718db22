package dev.verdict.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 16: the warm-up before `serve` knows its configuration must keep doing its work. */
class StartWarmUpTest {
  @Test
  void theBuiltInSetCompilesSoTheWarmUpRunsTheWholeCompiler() {
    // a set with errors would stop at the first of them: parse and check would be warmed only partly
    assertThat(StartWarmUp.run()).isTrue();
  }

  @Test
  void awaitingWithoutAWarmUpReturnsAtOnce() {
    StartWarmUp.await();
  }
}
