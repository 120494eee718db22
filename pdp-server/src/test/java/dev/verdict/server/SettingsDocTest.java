package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.boot.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's settings table is what operators (and the Kubernetes manifests) go by:
 * every setting the loader reads has its row, with the environment variable and YAML key the
 * loader really uses, and the table names no setting the loader does not read.
 */
class SettingsDocTest {
  @Test
  void theSettingsTableMatchesTheLoader() throws Exception {
    Map<String, String> documented = new LinkedHashMap<>(); // environment variable -> YAML key
    for (String line : Files.readAllLines(Path.of("..", "docs", "operations.md"))) {
      String[] cells = line.split("\\|");
      if (cells.length > 4 && cells[2].trim().startsWith("`VERDICT_")) {
        documented.put(cells[2].trim().replace("`", ""), cells[3].trim().replace("`", ""));
      }
    }
    Map<String, String> read = new LinkedHashMap<>();
    ConfigLoader.settings().forEach((setting, yamlKey) -> read.put(ConfigLoader.envName(setting), yamlKey));
    assertThat(documented).containsAllEntriesOf(read);
    assertThat(read.keySet()).containsAll(documented.keySet());
  }
}
