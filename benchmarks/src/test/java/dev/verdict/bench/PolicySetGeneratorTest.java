package dev.verdict.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.ast.Decl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicySetGeneratorTest {
  @ParameterizedTest
  @ValueSource(strings = {"10/1", "1000/50", "37/4"})
  void writesAValidSetOfExactlyTheAskedSize(String text, @TempDir Path dir) throws Exception {
    SetShape shape = SetShape.parse(text);

    PolicySetGenerator.GeneratedSet set = PolicySetGenerator.generate(shape, dir);
    CheckResult result = Verdict.check(List.of(dir));

    assertThat(result.diagnostics()).as(result.render()).isEmpty();
    assertThat(result.files()).hasSize(shape.files());
    long rules = result.files().stream().flatMap(f -> f.decls().stream())
        .filter(Decl.PolicyDecl.class::isInstance).map(Decl.PolicyDecl.class::cast)
        .mapToLong(p -> p.rules().size()).sum();
    assertThat(rules).isEqualTo(shape.rules());
    long policies = result.files().stream().flatMap(f -> f.decls().stream())
        .filter(Decl.PolicyDecl.class::isInstance).count();
    assertThat(set.policies()).isEqualTo(policies);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.mapToLong(p -> p.toFile().length()).sum()).isEqualTo(set.bytes());
    }
  }

  @Test
  void policiesHoldThreeToFiveRules(@TempDir Path dir) {
    PolicySetGenerator.generate(new SetShape(1234, 57), dir);

    Verdict.check(List.of(dir)).files().stream().flatMap(f -> f.decls().stream())
        .filter(Decl.PolicyDecl.class::isInstance).map(Decl.PolicyDecl.class::cast)
        .forEach(p -> assertThat(p.rules().size()).as(p.name().name()).isBetween(3, 5));
  }

  @Test
  void theSameShapeGivesTheSameBytes(@TempDir Path a, @TempDir Path b) throws Exception {
    PolicySetGenerator.generate(new SetShape(100, 5), a);
    PolicySetGenerator.generate(new SetShape(100, 5), b);

    for (int i = 0; i < 5; i++) {
      String name = String.format("set%04d.verdict", i);
      assertThat(Files.readString(a.resolve(name))).isEqualTo(Files.readString(b.resolve(name)));
    }
  }

  @Test
  void rejectsShapesThatCannotBeBuilt() {
    assertThatThrownBy(() -> SetShape.parse("10")).hasMessageContaining("rules/files");
    assertThatThrownBy(() -> SetShape.parse("3/5")).hasMessageContaining("3/5");
    assertThat(SetShape.parse(" 1000/50 ")).isEqualTo(new SetShape(1000, 50));
  }
}
