package dev.verdict.bench;

import dev.verdict.sdk.Decision;
import dev.verdict.sdk.Principal;
import dev.verdict.sdk.Resource;
import dev.verdict.sdk.VerdictClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SDK's remote check against a real {@code verdict serve} in its own process over loopback:
 * the client's work, HTTP both ways and the server's decision on the banking example set. Start
 * it from the repository root after {@code ./verdict --version} has built the server's jar:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SdkRemote -bm sample -tu us</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SdkRemoteBenchmark {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+),");

  /** The server's jar, built by {@code ./verdict}. */
  @Param("pdp-server/target/verdict.jar")
  public String serverJar;

  private Process server;
  private VerdictClient remote;
  private Principal alice;
  private Resource account;
  private List<Resource> thirty;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (!Files.isRegularFile(Path.of(serverJar))) {
      throw new IllegalStateException(serverJar + " is missing: run `./verdict --version` at the repository root first");
    }
    server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", serverJar,
        "serve", "--port", "0", "--policies", "policies/banking", "--decision-log", "off")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader err = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
    String url = null;
    while (url == null) {
      String line = err.readLine();
      if (line == null) {
        break;
      }
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        url = m.group(1);
      }
    }
    // The server writes nothing more to stderr unless something goes wrong; keep the pipe drained.
    Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "server-stderr");
    drain.setDaemon(true);
    drain.start();
    if (url == null) {
      throw new IllegalStateException("the server did not start");
    }
    remote = VerdictClient.remote(URI.create(url)).noCache().requestTimeout(java.time.Duration.ofSeconds(30)).build();
    alice = Principal.of("alice").roles("customer").attr("tenant", "bank1").attr("trust", 90);
    account = Resource.of("Account", "A-1001");
    thirty = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      thirty.add(Resource.of("Account", i % 2 == 0 ? "A-1001" : "A-1002"));
    }
    Decision d = remote.check(alice, account, "read");
    if (!d.allowed()) {
      throw new IllegalStateException("unexpected benchmark decision " + d + " " + d.failure());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    remote.close();
    server.destroy();
    server.waitFor(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public Decision remoteRoundTrip() {
    return remote.check(alice, account, "read");
  }

  @Benchmark
  public List<Decision> remoteBatchOf30() {
    return remote.checkAll(alice, thirty, List.of("read"));
  }
}
