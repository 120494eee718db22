package dev.verdict.server.policy;

import dev.verdict.engine.ActivePolicy;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.route.RouteTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The policy set being served, as the server shows it: the engine's active set and what this
 * version removed compared with the one it replaced. A request reads the current snapshot once
 * and uses it throughout, so it never sees two versions.
 *
 * @param removed what this version no longer has compared with the one it replaced
 */
public record PolicySnapshot(ActivePolicy active, Removals removed) {
  public PolicySnapshot {
    Objects.requireNonNull(active, "active is null");
    Objects.requireNonNull(removed, "removed is null");
  }

  public PolicySet set() {
    return active.set();
  }

  public RouteTable routes() {
    return active.routes();
  }

  public Instant loadedAt() {
    return active.loadedAt();
  }

  /** The policy and data file names, relative to the policy directory. */
  public List<String> files() {
    return active.files();
  }

  public String version() {
    return active.version();
  }
}
