package dev.verdict.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.Engine;
import dev.verdict.engine.RequestRefused;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.v1.AuthZenHandlers;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict bench DIR --request FILE [--duration 10s]}: times one request against a policy
 * set in this process, as {@code opa bench} does, and prints decisions per second, latency
 * percentiles and the bytes allocated per decision. Budgets are not spent (a benchmark would
 * only measure refusals); the time is the engine's clock. The request is either in the native
 * shape ({@code verdict eval}'s) or an AuthZEN evaluation body ({@code subject},
 * {@code resource}, {@code action}); with {@code --parse} each decision reads the file's bytes
 * again, an AuthZEN body exactly as {@code POST /access/v1/evaluation} reads it.
 */
@Command(name = "bench", description = "Time one JSON request against a policy set in-process.")
final class BenchCommand implements Callable<Integer> {
  /** Latencies kept for the percentiles; past this many, every n-th decision is sampled. */
  static final int MAX_SAMPLES = 1_000_000;
  static final Duration MAX_DURATION = Duration.ofMinutes(10);

  enum Format { text, json }

  @Parameters(index = "0", paramLabel = "DIR", description = "The policy set directory.")
  Path dir;

  @Option(names = "--request", required = true, paramLabel = "FILE",
      description = "The request as JSON: as for `verdict eval`, or an AuthZEN evaluation body.")
  Path request;

  @Option(names = "--duration", defaultValue = "10s", paramLabel = "TIME", description = "How long to measure: 500ms, 10s, 1m (at most 10m).")
  String duration;

  @Option(names = "--warmup", defaultValue = "2s", paramLabel = "TIME", description = "How long to run before measuring, for the JIT.")
  String warmup;

  @Option(names = "--parse", description = "Read the request's bytes for every decision (an AuthZEN body as the server does).")
  boolean parse;

  @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
  Format format;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration measure;
    Duration warm;
    try {
      measure = time(duration, "--duration");
      warm = time(warmup, "--warmup");
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    if (!Files.isRegularFile(request) || Files.size(request) > EvalCommand.MAX_REQUEST_BYTES) {
      err.println("error: request file `" + request + "` does not exist or is larger than "
          + EvalCommand.MAX_REQUEST_BYTES + " bytes");
      return VerdictCommand.USAGE;
    }
    byte[] bytes = Files.readAllBytes(request);
    Engine engine;
    try {
      engine = PolicySets.load(dir, out, err);
    } catch (PolicySets.NotLoaded e) {
      return e.exitCode;
    }
    ActivePolicy policy = engine.active().orElseThrow();
    Request req;
    boolean authZen;
    try {
      JsonNode node = RequestDocuments.read(bytes);
      authZen = isAuthZen(node);
      req = authZen ? AuthZenHandlers.request(bytes, policy.set().types()) : RequestJson.parse(node, policy.set().types());
      engine.decide(policy, req, DecideOptions.WHAT_IF);
    } catch (ApiException e) {
      err.println("error: invalid request at " + e.details().path("path").asText("$") + ": " + e.getMessage());
      return VerdictCommand.USAGE;
    } catch (RequestDocuments.Unreadable e) {
      err.println(e.getMessage());
      return VerdictCommand.USAGE;
    } catch (RequestJson.InvalidRequest e) {
      err.println("error: invalid request at " + e.path() + ": " + e.getMessage());
      return VerdictCommand.USAGE;
    } catch (RequestRefused e) {
      err.println("error: invalid request at " + e.path() + ": " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    Run run = new Run(engine, policy, bytes, authZen, req, parse);
    run.loop(warm.toNanos(), null);
    long[] samples = new long[MAX_SAMPLES];
    Result r = run.loop(measure.toNanos(), samples);
    if (format == Format.json) {
      out.println(String.format(Locale.ROOT,
          "{\"decisions\": %d, \"seconds\": %.3f, \"perSecond\": %.0f, \"p50Nanos\": %d, \"p99Nanos\": %d, "
              + "\"maxNanos\": %d, \"bytesPerDecision\": %d, \"outcome\": \"%s\"}",
          r.count, r.nanos / 1e9, r.perSecond(), r.p50, r.p99, r.max, r.bytesPerDecision, r.last.outcome().word()));
    } else {
      out.println(String.format(Locale.ROOT, "decisions: %,d in %.1f s (%,.0f per second)", r.count, r.nanos / 1e9,
          r.perSecond()));
      out.println("latency:   p50 " + human(r.p50) + ", p99 " + human(r.p99) + ", max " + human(r.max));
      out.println(String.format(Locale.ROOT, "allocated: %,d B per decision", r.bytesPerDecision));
      out.println("decision:  " + r.last.outcome().word() + (r.last.reasons().isEmpty() ? ""
          : " by " + String.join(", ", r.last.reasons())));
    }
    return VerdictCommand.OK;
  }

  /** An AuthZEN evaluation names its subject; a native request its principal. */
  static boolean isAuthZen(JsonNode request) {
    return request.has("subject") && !request.has("principal");
  }

  private record Result(long count, long nanos, long p50, long p99, long max, long bytesPerDecision, Decision last) {
    double perSecond() {
      return nanos == 0 ? 0 : count * 1e9 / nanos;
    }
  }

  /** The measured loop: one thread, the same request, each decision timed. */
  private static final class Run {
    private final Engine engine;
    private final ActivePolicy policy;
    private final byte[] bytes;
    private final boolean authZen;
    private final Request request;
    private final boolean parse;

    Run(Engine engine, ActivePolicy policy, byte[] bytes, boolean authZen, Request request, boolean parse) {
      this.engine = engine;
      this.policy = policy;
      this.bytes = bytes;
      this.authZen = authZen;
      this.request = request;
      this.parse = parse;
    }

    Result loop(long forNanos, long[] samples) {
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long thread = Thread.currentThread().getId();
      long bytesBefore = threads.getThreadAllocatedBytes(thread);
      long start = System.nanoTime();
      long end = start + forNanos;
      long count = 0;
      int kept = 0;
      int every = 1;
      long max = 0;
      Decision last = null;
      long now = start;
      while (now < end) {
        long t0 = System.nanoTime();
        last = engine.decide(policy, parse ? parsed() : request, DecideOptions.WHAT_IF);
        now = System.nanoTime();
        long took = now - t0;
        max = Math.max(max, took);
        if (samples != null && count % every == 0) {
          if (kept == samples.length) { // keep every other sample, and sample half as often
            for (int i = 0; i < kept / 2; i++) {
              samples[i] = samples[2 * i];
            }
            kept /= 2;
            every *= 2;
          }
          samples[kept++] = took;
        }
        count++;
      }
      long nanos = now - start;
      long bytes = threads.getThreadAllocatedBytes(thread) - bytesBefore;
      if (samples == null) {
        return null;
      }
      long[] sorted = Arrays.copyOf(samples, kept);
      Arrays.sort(sorted);
      long p50 = kept == 0 ? 0 : sorted[(int) Math.min(kept - 1, Math.round(0.50 * (kept - 1)))];
      long p99 = kept == 0 ? 0 : sorted[(int) Math.min(kept - 1, Math.round(0.99 * (kept - 1)))];
      return new Result(count, nanos, p50, p99, max, count == 0 ? 0 : bytes / count, last);
    }

    /** The request read again from the file's bytes: as the server reads an AuthZEN body, as {@code verdict eval} a native one. */
    private Request parsed() {
      if (authZen) {
        return AuthZenHandlers.request(bytes, policy.set().types());
      }
      try {
        return RequestJson.parse(RequestDocuments.read(bytes), policy.set().types());
      } catch (RequestJson.InvalidRequest | RequestDocuments.Unreadable e) {
        throw new IllegalStateException("the request was valid a moment ago", e);
      }
    }
  }

  private static final Pattern TIME = Pattern.compile("(\\d{1,6})(ms|s|m)");

  static Duration time(String text, String option) {
    Matcher m = TIME.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("`" + option + " " + text + "` is not a time such as 500ms, 10s or 1m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("`" + option + "` is at most 10m");
    }
    return d;
  }

  private static String human(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    }
    if (nanos < 10_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
