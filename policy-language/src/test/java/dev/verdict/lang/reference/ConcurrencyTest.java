package dev.verdict.lang.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One policy set decided from 8 threads at once gives exactly the single-threaded answers. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int REQUESTS = 2_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eightThreadsAgreeWithOne(@TempDir Path tmp) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (long seed = 11; seed <= 14; seed++) {
        RandomPolicies gen = new RandomPolicies(seed);
        Path dir = tmp.resolve("set" + seed);
        Files.createDirectories(dir);
        String source = gen.policySource();
        Files.writeString(dir.resolve("policy.verdict"), source);
        Files.writeString(dir.resolve("org.entities.json"), JSON.writeValueAsString(gen.entityData()));
        LoadResult loaded = Verdict.load(dir);
        assertThat(loaded.ok()).as("loads: %s", loaded.diagnostics()).isTrue();
        PolicySet set = loaded.policySet().orElseThrow();

        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          requests.add(RequestJson.parse(gen.request()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          expected.add(render(Authorizer.decide(set, requests.get(i), i % 2 == 0)));
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          long order = seed * 31 + t;
          results.add(pool.submit(() -> {
            // Each thread walks the requests in its own order so that threads meet on
            // different rules, roles and entities at the same time.
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
              idx.add(i);
            }
            Collections.shuffle(idx, new Random(order));
            String[] out = new String[REQUESTS];
            start.await();
            for (int i : idx) {
              out[i] = render(Authorizer.decide(set, requests.get(i), i % 2 == 0));
            }
            return List.of(out);
          }));
        }
        start.countDown();
        for (int t = 0; t < THREADS; t++) {
          List<String> got = results.get(t).get(2, TimeUnit.MINUTES);
          for (int i = 0; i < REQUESTS; i++) {
            assertThat(got.get(i)).as("seed %d thread %d request %d%n%s", seed, t, i, source).isEqualTo(expected.get(i));
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Everything a decision says, trace included, as text (spans do not take part in equality). */
  private static String render(Decision d) {
    StringBuilder b = new StringBuilder(d.outcome().word()).append(' ').append(d.reasons());
    d.errors().forEach(e -> b.append(" | ").append(e));
    b.append(" read=").append(new TreeMap<>(d.readMask())).append(" write=").append(new TreeSet<>(d.writeDenied()));
    d.trace().ifPresent(t -> b.append('\n').append(t.render()));
    return b.toString();
  }
}
