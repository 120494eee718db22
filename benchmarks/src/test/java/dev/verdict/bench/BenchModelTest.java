package dev.verdict.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.testing.TestReport;
import dev.verdict.lang.testing.TestRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The peer model decides as its fixture says, so its benchmark figures compare like with like. */
class BenchModelTest {
  @Test
  void theModelsFixtureAndSemanticsTestsPass() throws Exception {
    LoadResult loaded = Verdict.load(Path.of("src/main/resources/bench-model/policies"));
    assertThat(loaded.ok()).as(loaded.check().render()).isTrue();
    TestReport report = TestRunner.run(loaded.policySet().orElseThrow());
    assertThat(report.results()).hasSizeGreaterThanOrEqualTo(30);
    assertThat(report.results()).allSatisfy(r -> assertThat(r.failures()).as(r.name()).isEmpty());
  }

  @Test
  void theBenchmarkSetsUpAndChecksItsOwnDecisions() throws Exception {
    BenchModelBenchmark b = new BenchModelBenchmark();
    b.unrelated = 1000;
    b.setUp();
    assertThat(b.oneByOne().allowed()).isTrue();
    assertThat(b.oneByOneFromJson().allowed()).isTrue();
    assertThat(b.writeOneByOne().toString()).startsWith("{\"decision\":true,\"context\":{\"decision_id\":");
    assertThat(b.nativeTenByThreeRead()).isNotNull().isEqualTo(b.nativeTenByThreeTree());
    assertThat(b.nativeTenByThreeRead().resources()).hasSize(10);
    assertThat(b.nativeTenByThreeRead().actions()).hasSize(5);
  }
}
