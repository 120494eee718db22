package dev.verdict.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Engine;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * This node's side of "one policy version": bundles pushed to it (to the whole cluster when it
 * is a member, to itself when alone), the cluster's active bundle adopted when it joins, and,
 * in a cluster, its version published beside the others' so a node that serves another version
 * than most is not ready.
 */
public final class ClusterPolicyService {
  /** A push racing an adoption makes the adoption try again; more than this is not a race. */
  private static final int ADOPT_ATTEMPTS = 3;
  static final String JOINING = "fetching the cluster's active policy bundle";

  private final Engine engine;
  private final PolicyParticipant participant;
  private final Optional<ClusterPolicy> cluster;
  private final Optional<MemberStatus> status;
  private final PushListener pushed;
  private final Optional<ClusterLinks> links;
  /** Why this node is not ready while it joins; "" once it may serve. */
  private volatile String joining;
  private volatile boolean withdrawn;

  /** Told of each push made on this node: its result and how long both phases took. */
  @FunctionalInterface
  public interface PushListener {
    void pushed(ClusterPolicy.PushResult result, long nanos);
  }

  /**
   * @param beforeSwitch told a pushed bundle's version before this node serves it
   * @param afterSwitch told it once this node serves it
   * @param phaseTimeoutMillis how long a push waits for each member in each phase
   * @param pushed told of each push made on this node, activated or refused
   */
  public ClusterPolicyService(Engine engine, JWKSet trusted, Optional<HazelcastInstance> member,
      Consumer<String> beforeSwitch, Consumer<String> afterSwitch, long phaseTimeoutMillis, PushListener pushed) {
    this(engine, trusted, Optional.empty(), member, beforeSwitch, afterSwitch, phaseTimeoutMillis, pushed);
  }

  /**
   * @param signingKey the deployment's bundle signing key (private), with which this member signs
   *     the cluster's bundle when a link is written over its admin API; empty: link writes are refused
   */
  public ClusterPolicyService(Engine engine, JWKSet trusted, Optional<JWK> signingKey,
      Optional<HazelcastInstance> member, Consumer<String> beforeSwitch, Consumer<String> afterSwitch,
      long phaseTimeoutMillis, PushListener pushed) {
    this.engine = engine;
    this.pushed = pushed;
    this.participant = new PolicyParticipant(engine, trusted, beforeSwitch, version -> {
      joining = "";
      afterSwitch.accept(version);
      publish(false);
    });
    this.cluster = member.map(hz -> new ClusterPolicy(hz, participant, phaseTimeoutMillis));
    this.links = cluster.map(c -> new ClusterLinks(engine, c, trusted, signingKey, pushed));
    this.status = member.map(MemberStatus::new);
    this.joining = member.isPresent() ? JOINING : "";
  }

  /** Whether bundles may be pushed here: trusted keys are configured. */
  public boolean acceptsBundles() {
    return participant.acceptsBundles();
  }

  public boolean clustered() {
    return cluster.isPresent();
  }

  /** Link writes over the admin API, made to the cluster's bundle; empty alone (the engine keeps them). */
  public Optional<ClusterLinks> links() {
    return links;
  }

  /** Pushes a bundle to every member, or serves it here when alone. Blocking (never on an event loop). */
  public ClusterPolicy.PushResult push(byte[] bundle) {
    long start = System.nanoTime();
    ClusterPolicy.PushResult r = cluster.map(c -> c.push(bundle)).orElseGet(() -> participant.pushHere(bundle));
    pushed.pushed(r, System.nanoTime() - start);
    publish(false);
    return r;
  }

  /**
   * For a member that just joined: serves the cluster's active bundle if it has one. Until this
   * returns the member is not ready; if the bundle cannot be served here it stays not ready,
   * with the reason. Blocking.
   */
  public void adoptActive() {
    if (cluster.isEmpty()) {
      return;
    }
    ClusterPolicy.PushResult r = cluster.get().adopt();
    for (int i = 1; i < ADOPT_ATTEMPTS && !r.activated() && !r.refusals().isEmpty(); i++) {
      r = cluster.get().adopt();
    }
    if (r.activated() || r.refusals().isEmpty()) {
      joining = "";
    } else {
      joining = "the cluster serves a pushed policy bundle that this member cannot serve: "
          + String.join("; ", r.refusals().values());
    }
    publish(false);
  }

  /** Why this node should not be ready, if it should not: joining, or serving another version than most. */
  public Optional<String> notReady() {
    String j = joining;
    if (!j.isEmpty()) {
      return Optional.of(j);
    }
    try {
      return status.flatMap(s -> s.disagreement(version()));
    } catch (RuntimeException e) {
      return Optional.of("this node's cluster member is not running"); // shutting down, or lost
    }
  }

  /** Publishes this member's version and readiness (no-op alone); cheap when nothing changed. */
  public void publish(boolean draining) {
    if (withdrawn) {
      return;
    }
    status.ifPresent(s -> {
      String j = joining;
      String reason = draining ? "the server is shutting down" : j;
      s.publish(version(), reason.isEmpty() && !version().isEmpty(), reason);
    });
  }

  /** This member's view of every member's published status; empty alone. */
  public Optional<MemberStatus> status() {
    return status;
  }

  /** The members' published statuses; empty alone. */
  public Map<java.util.UUID, MemberStatus.Status> members() {
    return status.map(MemberStatus::members).orElse(Map.of());
  }

  /** Takes this member's status out before it leaves. */
  public void withdraw() {
    withdrawn = true;
    status.ifPresent(s -> {
      try {
        s.withdraw();
      } catch (RuntimeException e) {
        // the member is already shutting down; the others ignore members that left anyway
      }
    });
  }

  private String version() {
    return engine.active().map(ActivePolicy::version).orElse("");
  }
}
