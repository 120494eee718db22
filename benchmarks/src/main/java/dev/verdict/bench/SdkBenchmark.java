package dev.verdict.bench;

import com.sun.net.httpserver.HttpServer;
import dev.verdict.sdk.Decision;
import dev.verdict.sdk.Principal;
import dev.verdict.sdk.Resource;
import dev.verdict.sdk.VerdictClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SDK's cost per check: a local cache hit, an embedded evaluation ({@link EngineBenchmark}'s
 * request through the SDK's types, no cache: compare with {@code EngineBenchmark.engineDecide}),
 * and remote round trips over loopback, one check and a batch of 30. The remote side is a JDK
 * HttpServer answering a fixed native-API answer, so the figures are the client's work plus
 * loopback HTTP, without the server's decision (see pdp-server's own figures for that).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Sdk -f 1 -wi 3 -w 2s -i 5 -r 2s</pre>
 * For p50/p99 of the round trips: {@code -bm sample}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SdkBenchmark {
  private static final String ONE = "{\"decisionId\":\"d\",\"policyVersion\":\"sha256:v\",\"cacheTtlSeconds\":%d,"
      + "\"results\":[%s]}";
  private static final String RESULT = "{\"resource\":{\"type\":\"Account\",\"id\":\"%s\"},\"action\":\"read\","
      + "\"decision\":\"allow\",\"allowed\":true,\"reasons\":[\"r\"],\"errors\":[],"
      + "\"readMask\":{\"ssn\":\"hide\",\"number\":\"partial(4)\"},\"writeDenied\":[\"owner\"],\"rate\":null}";

  private HttpServer fake;
  private Path dir;
  private VerdictClient cached;
  private VerdictClient remote;
  private VerdictClient embedded;
  private Principal alice;
  private Resource account;
  private List<Resource> thirty;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    // The JDK server delays small answers (Nagle) unless told not to; a real PDP does not.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    fake.setExecutor(Executors.newFixedThreadPool(2));
    fake.createContext("/v1/decisions", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      int n = Math.max(1, count(new String(in, StandardCharsets.UTF_8), "\"type\":\"Account\""));
      List<String> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(String.format(RESULT, n == 1 ? "a1" : "a" + i));
      }
      byte[] out = String.format(ONE, 3600, String.join(",", results)).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    fake.start();
    URI uri = URI.create("http://127.0.0.1:" + fake.getAddress().getPort());
    cached = VerdictClient.remote(uri).cache(64L << 20, Duration.ofHours(1)).build();
    remote = VerdictClient.remote(uri).noCache().build();
    dir = Files.createTempDirectory("sdk-bench");
    Files.writeString(dir.resolve("core.verdict"), DecisionBenchmark.CORE);
    embedded = VerdictClient.embedded(dir).noWatch().cache(0).build();
    alice = Principal.of("alice").roles("user").attr("tenant", "t1");
    account = Resource.of("Account", "a1").attr("owner", "alice").attr("tenant", "t1").attr("frozen", false)
        .attr("balance", 10).attr("ssn", "123-45-6789").attr("number", "4111111111111111");
    thirty = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      thirty.add(Resource.of("Account", "a" + i).attr("owner", "alice").attr("tenant", "t1"));
    }
    for (Decision d : List.of(cached.check(alice, account, "read"), remote.check(alice, account, "read"),
        embedded.check(alice, account, "read", Map.of("mfa", true, "ip", "10.1.2.3")))) {
      if (!d.allowed()) {
        throw new IllegalStateException("unexpected benchmark decision " + d);
      }
    }
    if (remote.checkAll(alice, thirty, List.of("read")).stream().anyMatch(d -> !d.allowed())) {
      throw new IllegalStateException("unexpected batch decisions");
    }
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    fake.stop(0);
    ((java.util.concurrent.ExecutorService) fake.getExecutor()).shutdownNow();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Benchmark
  public Decision cacheHit() {
    return cached.check(alice, account, "read");
  }

  @Benchmark
  public Decision embeddedCheck() {
    return embedded.check(alice, account, "read", Map.of("mfa", true, "ip", "10.1.2.3"));
  }

  @Benchmark
  public Decision remoteRoundTrip() {
    return remote.check(alice, account, "read");
  }

  @Benchmark
  public List<Decision> remoteBatchOf30() {
    return remote.checkAll(alice, thirty, List.of("read"));
  }

  @Benchmark
  public List<Decision> embeddedBatchOf30() {
    return embedded.checkAll(alice, thirty, List.of("read"));
  }
}
