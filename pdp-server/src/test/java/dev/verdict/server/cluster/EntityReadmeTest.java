package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "Entity data" block, run as written in one bash: two {@code ./verdict serve}
 * processes of this build in one cluster (separate JVMs), a record put on the first, gateway
 * checks on the second that require its revision. Fixed ports and the cluster name are
 * replaced by free ones.
 */
class EntityReadmeTest {
  static final String MARKER =
      "<!-- doctest: skip: two servers on fixed ports; EntityReadmeTest runs this block on free ports -->";

  @Test
  void aRecordPutOnOneNodeDecidesTheGatewayCheckOnTheOther() throws Exception {
    List<ClusterReadmeTest.Command> commands = ClusterReadmeTest.block(MARKER);
    assertThat(commands).hasSizeGreaterThan(5);
    Path root = Files.createTempDirectory("entity-readme");
    try {
      ClusterReadmeTest.copyTree(ClusterReadmeTest.ROOT.resolve("policies"), root.resolve("policies"));
      ClusterReadmeTest.copyTree(ClusterReadmeTest.ROOT.resolve("docs/examples"), root.resolve("docs/examples"));
      Path verdict = root.resolve("verdict");
      Files.writeString(verdict, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
          + "' " + String.join(" ", ClusterProcesses.HAZELCAST_FLAGS) + " -Xmx256m -XX:TieredStopAtLevel=1 -cp '"
          + System.getProperty("java.class.path") + "' dev.verdict.server.cli.VerdictCommand \"$@\"\n");
      verdict.toFile().setExecutable(true);
      String name = "entities-" + UUID.randomUUID().toString().substring(0, 8);
      String[][] ports = {
          {"8191", Integer.toString(ClusterProcesses.freePort())},
          {"8192", Integer.toString(ClusterProcesses.freePort())},
          {"5711", Integer.toString(ClusterProcesses.freePort())},
          {"5712", Integer.toString(ClusterProcesses.freePort())}};
      StringBuilder script = new StringBuilder("set -u\ntrap 'kill -9 $(jobs -p) 2>/dev/null; wait' EXIT\n");
      for (int i = 0; i < commands.size(); i++) {
        String line = commands.get(i).line().replace("--cluster-name entities", "--cluster-name " + name);
        for (String[] p : ports) {
          line = line.replace(p[0], p[1]);
        }
        script.append("echo '@@readme ").append(i).append("@@'\n").append(line).append('\n');
      }
      Process p = new ProcessBuilder("bash", "-c", script.toString()).directory(root.toFile())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < commands.size(); i++) {
        int from = out.indexOf("@@readme " + i + "@@\n");
        assertThat(from).as("command %d ran:\n%s", i, out).isNotNegative();
        from += ("@@readme " + i + "@@\n").length();
        int to = i + 1 < commands.size() ? out.indexOf("@@readme " + (i + 1) + "@@") : out.length();
        // bash's own notice of a background job killed (the cleanup's) is no output
        String actual = (to < 0 ? out.substring(from) : out.substring(from, to))
            .replaceAll("(?m)bash: line \\d+: +\\d+ Killed .*(\\R|$)", "");
        assertThat(actual.strip()).as("output of `%s` (node logs: %s)", commands.get(i).line(),
            ClusterReadmeTest.logs(root)).isEqualTo(commands.get(i).shown().strip());
      }
    } finally {
      ClusterReadmeTest.deleteTree(root);
    }
  }
}
