package dev.verdict.server.policy;

import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.route.RouteTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The policy set being served, its route table and when it was loaded. A request reads the
 * current snapshot once and uses it throughout, so it never sees two versions; the route table
 * is built here, once per set, because gateway checks match every request against it.
 *
 * @param files the policy and data file names, relative to the policy directory
 * @param removed what this version no longer has compared with the one it replaced
 */
public record PolicySnapshot(PolicySet set, Instant loadedAt, List<String> files, RouteTable routes,
    Removals removed) {
  public PolicySnapshot {
    Objects.requireNonNull(set, "set is null");
    Objects.requireNonNull(loadedAt, "loadedAt is null");
    files = List.copyOf(files);
    Objects.requireNonNull(routes, "routes is null");
    Objects.requireNonNull(removed, "removed is null");
  }

  /** A snapshot whose route table is built from the set's routes. */
  public PolicySnapshot(PolicySet set, Instant loadedAt, List<String> files, Removals removed) {
    this(set, loadedAt, files, routesOf(set), removed);
  }

  /** The first snapshot: nothing was replaced. */
  public PolicySnapshot(PolicySet set, Instant loadedAt, List<String> files) {
    this(set, loadedAt, files, Removals.NONE);
  }

  private static RouteTable routesOf(PolicySet set) {
    try {
      return RouteTable.build(set.routes());
    } catch (IllegalArgumentException e) {
      // The checker refuses every set this could happen for (V0501-V0504); should one slip
      // through, no route matching means every gateway check is denied: closed, not open.
      return RouteTable.empty();
    }
  }

  public String version() {
    return set.version();
  }
}
