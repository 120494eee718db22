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

  public PolicyParticipant(Engine engine, JWKSet trusted) {
    this.engine = Objects.requireNonNull(engine, "engine is null");
    this.trusted = Objects.requireNonNull(trusted, "trusted is null");
  }

  /** The first phase: verified and compiled, or why not. */
  PrepareOutcome prepare(byte[] bundle) {
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
    engine.activate(p);
    staged.compareAndSet(p, null);
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
