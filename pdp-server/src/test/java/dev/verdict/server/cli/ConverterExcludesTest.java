package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** Issue 16: the converters picocli is told to skip at start-up are for types no option has. */
class ConverterExcludesTest {
  @Test
  void noOptionOfAnyVerbHasATypeWhoseConverterIsLeftOut() {
    List<String> excludes = Arrays.asList(VerdictCommand.UNUSED_CONVERTERS.split(","));
    List<String> types = new ArrayList<>();
    collect(VerdictCommand.commandLine(), types);

    assertThat(types).contains("java.nio.file.Path", "java.lang.String");
    assertThat(types).noneMatch(t -> excludes.stream().anyMatch(t::matches));
    assertThat("java.time.Duration").matches(excludes.get(1));
  }

  private static void collect(CommandLine cl, List<String> types) {
    for (ArgSpec arg : cl.getCommandSpec().args()) {
      types.add(arg.type().getName());
      for (Class<?> aux : arg.auxiliaryTypes()) {
        types.add(aux.getName());
      }
    }
    cl.getSubcommands().values().forEach(sub -> collect(sub, types));
  }
}
