package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's cluster block, run as written in one bash (three {@code ./verdict serve}
 * processes of this build, the dev-gateway configuration), with its fixed ports and cluster
 * name replaced by free ones: each command prints what the README shows under it. So the six
 * transfers meet one budget, a bundle pushed to one node is served by all three, and after
 * the push and a {@code kill -9} the other two still refuse with the same budget. About 70 s
 * on this two-core machine under heavy load, most of it the three JVMs starting.
 */
class ClusterReadmeTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final String MARKER =
      "<!-- doctest: skip: three servers on fixed ports; ClusterReadmeTest runs this block on free ports -->";

  record Command(String line, String shown) {}

  @Test
  void threeNodesShareOneBudgetServeOnePushedBundleAndKeepTheBudgetWhenOneIsKilled() throws Exception {
    List<Command> commands = block();
    assertThat(commands).hasSizeGreaterThan(5);
    Path root = Files.createTempDirectory("cluster-readme");
    try {
      copyTree(ROOT.resolve("policies"), root.resolve("policies"));
      copyTree(ROOT.resolve("docs/examples"), root.resolve("docs/examples"));
      Path verdict = root.resolve("verdict");
      Files.writeString(verdict, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
          + "' " + String.join(" ", ClusterProcesses.HAZELCAST_FLAGS) + " -Xmx256m -XX:TieredStopAtLevel=1 -cp '"
          + System.getProperty("java.class.path") + "' dev.verdict.server.cli.VerdictCommand \"$@\"\n");
      verdict.toFile().setExecutable(true);
      String name = "readme-" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> ports = freePorts(List.of("8181", "8182", "8183", "5701", "5702", "5703"));
      // one pass, whole numbers only: a free port is never itself rewritten as one of the fixed ones
      Pattern fixed = Pattern.compile("\\b(" + String.join("|", ports.keySet()) + ")\\b");
      StringBuilder script = new StringBuilder("set -u\ntrap 'kill -9 $(jobs -p) 2>/dev/null; wait' EXIT\n");
      for (int i = 0; i < commands.size(); i++) {
        String line = commands.get(i).line().replace("--cluster-name readme", "--cluster-name " + name);
        line = fixed.matcher(line).replaceAll(m -> ports.get(m.group()));
        script.append("echo '@@readme ").append(i).append("@@'\n").append(line).append('\n');
      }
      // the output goes to a file, so a block that never ends (a node that could not start, and the
      // wait for three members) fails after the timeout instead of holding the build
      Path output = Files.createTempFile("cluster-readme", ".out");
      Process p = new ProcessBuilder("bash", "-c", script.toString()).directory(root.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean finished = p.waitFor(300, TimeUnit.SECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      String out = Files.readString(output);
      Files.delete(output);
      assertThat(finished).as("the block finished within 300 s; its output:\n%s\nnode logs: %s", out, logs(root))
          .isTrue();
      for (int i = 0; i < commands.size(); i++) {
        int from = out.indexOf("@@readme " + i + "@@\n");
        assertThat(from).as("command %d ran:\n%s", i, out).isNotNegative();
        from += ("@@readme " + i + "@@\n").length();
        int to = i + 1 < commands.size() ? out.indexOf("@@readme " + (i + 1) + "@@") : out.length();
        // bash's own notice of a background job killed (the README's kill, the cleanup's) is no output
        String actual = (to < 0 ? out.substring(from) : out.substring(from, to))
            .replaceAll("(?m)bash: line \\d+: +\\d+ Killed .*(\\R|$)", "");
        assertThat(actual.strip()).as("output of `%s` (node logs: %s)", commands.get(i).line(), logs(root))
            .isEqualTo(commands.get(i).shown().strip());
      }
    } finally {
      deleteTree(root);
    }
  }

  /** The block after the marker: {@code $ } lines, their indented continuations, the lines shown. */
  static List<Command> block() throws IOException {
    return block(MARKER);
  }

  /** The console block after {@code marker} in the README (EntityReadmeTest runs another). */
  static List<Command> block(String marker) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    int at = lines.indexOf(marker);
    assertThat(at).as("the README's cluster block").isNotNegative();
    assertThat(lines.get(at + 1)).isEqualTo("```console");
    List<Command> out = new ArrayList<>();
    StringBuilder cmd = null;
    StringBuilder shown = new StringBuilder();
    for (String line : lines.subList(at + 2, lines.size())) {
      if (line.equals("```")) {
        break;
      }
      if (line.startsWith("$ ")) {
        if (cmd != null) {
          out.add(new Command(cmd.toString(), shown.toString()));
        }
        cmd = new StringBuilder(line.substring(2));
        shown.setLength(0);
      } else if (line.startsWith("  ") && shown.length() == 0 && cmd != null) {
        cmd.append('\n').append(line);
      } else {
        shown.append(line).append('\n');
      }
    }
    if (cmd != null) {
      out.add(new Command(cmd.toString(), shown.toString()));
    }
    return out;
  }

  /** Distinct free ports for the README's fixed ones: all are held open until each has one. */
  static Map<String, String> freePorts(List<String> fixedPorts) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      Map<String, String> out = new LinkedHashMap<>();
      for (String fixedPort : fixedPorts) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        out.put(fixedPort, Integer.toString(s.getLocalPort()));
      }
      return out;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  static String logs(Path root) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      try {
        s.append("\nnode").append(i).append(": ").append(Files.readString(root.resolve("node" + i + ".log"))
            .lines().filter(l -> !l.startsWith("{")).toList());
      } catch (IOException e) {
        s.append("\nnode").append(i).append(": none");
      }
    }
    return s.toString();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!f.toString().contains("/target/")) {
          Files.createDirectories(target.getParent());
          Files.copy(f, target);
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }
}
