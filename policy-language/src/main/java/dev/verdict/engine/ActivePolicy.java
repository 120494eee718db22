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

  public String version() {
    return set.version();
  }
}
