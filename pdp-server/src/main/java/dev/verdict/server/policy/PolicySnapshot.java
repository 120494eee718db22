package dev.verdict.server.policy;

import dev.verdict.lang.eval.PolicySet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The policy set being served and when it was loaded. A request reads the current snapshot
 * once and uses it throughout, so it never sees two versions.
 *
 * @param files the policy and data file names, relative to the policy directory
 */
public record PolicySnapshot(PolicySet set, Instant loadedAt, List<String> files) {
  public PolicySnapshot {
    Objects.requireNonNull(set, "set is null");
    Objects.requireNonNull(loadedAt, "loadedAt is null");
    files = List.copyOf(files);
  }

  public String version() {
    return set.version();
  }
}
