package dev.verdict.bench;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.route.RouteMatch;
import dev.verdict.lang.route.RouteDecls;
import dev.verdict.lang.route.RouteTable;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route matching against 1,000 routes (100 resources with 10 routes each, two levels of
 * parameters), through the public API only. Each benchmark cycles through 1,024 different
 * request targets so that branch prediction and caches see a realistic mix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchBenchmark {

  private static final int RESOURCES = 100;
  private static final int MASK = 1023;

  private RouteTable table;
  private String[] itemPaths;
  private String[] deepPaths;
  private String[] encodedPaths;
  private String[] missPaths;
  private int next;

  @Setup
  public void setUp() {
    StringBuilder policy = new StringBuilder();
    for (int r = 0; r < RESOURCES; r++) {
      String base = "/api/v1/res" + r;
      String type = "Res" + r;
      policy.append("route GET    \"").append(base).append("\" -> ").append(type).append(".list\n")
          .append("route POST   \"").append(base).append("\" -> ").append(type).append(".create\n")
          .append("route GET    \"").append(base).append("/{id}\" -> ").append(type).append("[id].read\n")
          .append("route PUT    \"").append(base).append("/{id}\" -> ").append(type).append("[id].update\n")
          .append("route DELETE \"").append(base).append("/{id}\" -> ").append(type).append("[id].delete\n")
          .append("route GET    \"").append(base).append("/{id}/items\" -> ").append(type).append("[id].listItems\n")
          .append("route POST   \"").append(base).append("/{id}/items\" -> ").append(type).append("[id].addItem\n")
          .append("route GET    \"").append(base).append("/{id}/items/{item}\" -> Item[item].read\n")
          .append("route DELETE \"").append(base).append("/{id}/items/{item}\" -> Item[item].delete\n")
          .append("route POST   \"").append(base).append("/{id}/actions/approve\" -> ").append(type)
          .append("[id].approve intent \"approve\"\n");
    }
    ParseResult parsed = Parser.parse(new Source("bench.verdict", policy.toString()));
    if (!parsed.diagnostics().isEmpty()) {
      throw new IllegalStateException("benchmark routes do not parse: " + parsed.diagnostics());
    }
    List<Decl.RouteDecl> routes = parsed.file().decls().stream()
        .filter(Decl.RouteDecl.class::isInstance).map(Decl.RouteDecl.class::cast).toList();
    if (routes.size() != 1_000) {
      throw new IllegalStateException("expected 1,000 routes, got " + routes.size());
    }
    table = RouteTable.build(RouteDecls.of(routes));

    itemPaths = new String[MASK + 1];
    deepPaths = new String[MASK + 1];
    encodedPaths = new String[MASK + 1];
    missPaths = new String[MASK + 1];
    for (int i = 0; i <= MASK; i++) {
      int r = (i * 37) % RESOURCES;
      itemPaths[i] = "/api/v1/res" + r + "/acc-" + i;
      deepPaths[i] = "/api/v1/res" + r + "/acc-" + i + "/items/it-" + i + "?expand=all";
      encodedPaths[i] = "/api/v1/res" + r + "/acc%2D" + i + "%20x";
      missPaths[i] = "/api/v1/res" + r + "/acc-" + i + "/nothing";
    }
    check(table.match("GET", itemPaths[5]), true);
    check(table.match("GET", deepPaths[5]), true);
    check(table.match("GET", encodedPaths[5]), true);
    check(table.match("GET", missPaths[5]), false);
  }

  private static void check(RouteMatch m, boolean matched) {
    if (m.isMatch() != matched) {
      throw new IllegalStateException("unexpected benchmark match result: " + m);
    }
  }

  private int index() {
    return next++ & MASK;
  }

  /** {@code GET /api/v1/res42/acc-7}: one parameter. */
  @Benchmark
  public RouteMatch item() {
    return table.match("GET", itemPaths[index()]);
  }

  /** {@code GET /api/v1/res42/acc-7/items/it-7?expand=all}: two parameters and a query. */
  @Benchmark
  public RouteMatch deep() {
    return table.match("GET", deepPaths[index()]);
  }

  /** A parameter with percent-encoding to decode. */
  @Benchmark
  public RouteMatch encoded() {
    return table.match("GET", encodedPaths[index()]);
  }

  /** A path no route declares (walks, backtracks, then collects allowed methods). */
  @Benchmark
  public RouteMatch noRoute() {
    return table.match("GET", missPaths[index()]);
  }
}
