package dev.verdict.server.cluster;

import com.nimbusds.jose.jwk.JWKSet;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.server.bundle.BundleSignatures;
import dev.verdict.engine.Bundles;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * This member's side of a cluster-wide policy switch: it verifies a pushed bundle's signature,
 * compiles it beside the set it serves (prepare), and serves it only when told every member has
 * compiled it (activate). One bundle is staged at a time; a newer push replaces it.
 */
public final class PolicyParticipant {
  /** The key under which a member's participant is found by the tasks that reach it. */
  static final String USER_CONTEXT_KEY = "verdict.policy-participant";

  private final Engine engine;
  private final JWKSet trusted;
  private final AtomicReference<ActivePolicy> staged = new AtomicReference<>();
  private final Consumer<String> beforeSwitch;
  private final Consumer<String> afterSwitch;

  public PolicyParticipant(Engine engine, JWKSet trusted) {
    this(engine, trusted, version -> { }, version -> { });
  }

  /**
   * @param beforeSwitch told the version about to be served from a bundle, before the engine
   *     switches to it (the server stops loading its directory, so a reload cannot undo it)
   * @param afterSwitch told the version once the engine serves it
   */
  public PolicyParticipant(Engine engine, JWKSet trusted, Consumer<String> beforeSwitch,
      Consumer<String> afterSwitch) {
    this.engine = Objects.requireNonNull(engine, "engine is null");
    this.trusted = Objects.requireNonNull(trusted, "trusted is null");
    this.beforeSwitch = Objects.requireNonNull(beforeSwitch, "beforeSwitch is null");
    this.afterSwitch = Objects.requireNonNull(afterSwitch, "afterSwitch is null");
  }

  /** Whether this member has keys to verify bundles with; without them it accepts none. */
  public boolean acceptsBundles() {
    return !trusted.getKeys().isEmpty();
  }

  /** Both phases on this node alone (a node outside any cluster). */
  public ClusterPolicy.PushResult pushHere(byte[] bundle) {
    PrepareOutcome o = prepare(bundle);
    if (!o.ok()) {
      return new ClusterPolicy.PushResult(false, "", Map.of(ClusterPolicy.THIS_NODE, o.message()));
    }
    if (!activate(o.version())) {
      return new ClusterPolicy.PushResult(false, o.version(),
          Map.of(ClusterPolicy.THIS_NODE, "another bundle was pushed meanwhile"));
    }
    return new ClusterPolicy.PushResult(true, o.version(), Map.of(), java.util.List.of(ClusterPolicy.THIS_NODE));
  }

  /** The first phase: verified and compiled, or why not. */
  PrepareOutcome prepare(byte[] bundle) {
    if (!acceptsBundles()) {
      return PrepareOutcome.refused("this member has no trusted bundle keys (--bundle-keys), so it accepts no "
          + "pushed bundles");
    }
    Map<String, byte[]> files;
    try {
      files = BundleSignatures.verify(bundle, trusted);
    } catch (BundleSignatures.Refused e) {
      return PrepareOutcome.refused(e.getMessage());
    }
    Engine.Staged s = engine.stage(PolicySource.bundle("pushed bundle", Bundles.write(files)));
    if (s.policy().isEmpty()) {
      return PrepareOutcome.refused(s.result().render());
    }
    staged.set(s.policy().get());
    return PrepareOutcome.prepared(s.result().version());
  }

  /** The second phase: serves the staged set if it is the one named. */
  boolean activate(String version) {
    ActivePolicy p = staged.get();
    if (p == null || !p.version().equals(version)) {
      return false;
    }
    beforeSwitch.accept(version);
    engine.activate(p);
    staged.compareAndSet(p, null);
    afterSwitch.accept(version);
    return true;
  }

  /** Drops the staged set (another member could not compile it). */
  void abort(String version) {
    ActivePolicy p = staged.get();
    if (p != null && p.version().equals(version)) {
      staged.compareAndSet(p, null);
    }
  }

  /** The version this member serves, "" before any. */
  String version() {
    return engine.active().map(ActivePolicy::version).orElse("");
  }
}
