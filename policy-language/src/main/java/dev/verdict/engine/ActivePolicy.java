package dev.verdict.engine;

import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.route.RouteTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The policy set an engine answers with, and what was built from it once: its route table.
 * A caller that asks several questions for one request (a batch, the items of an AuthZEN
 * {@code evaluations} call) takes one {@code ActivePolicy} and asks all of them against it, so
 * the answers never mix two versions.
 *
 * @param files the set's policy and data file names, relative to its root, sorted
 */
public record ActivePolicy(PolicySet set, RouteTable routes, Instant loadedAt, List<String> files) {
  public ActivePolicy {
    Objects.requireNonNull(set, "set is null");
    Objects.requireNonNull(routes, "routes is null");
    Objects.requireNonNull(loadedAt, "loadedAt is null");
    files = List.copyOf(files);
  }

  /**
   * A compiled set with its route table, for an engine that serves a set compiled elsewhere (a
   * test runner's); its file names are not known.
   *
   * @throws IllegalArgumentException when the set's routes cannot be built into a table
   */
  public static ActivePolicy of(PolicySet set) {
    return new ActivePolicy(set, RouteTable.build(set.routes()), Instant.now(), List.of());
  }

  public String version() {
    return set.version();
  }
}
