package dev.verdict.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One policy version for the whole cluster. A bundle pushed to any member is prepared by every
 * member (signature verified, set compiled, not yet served); only when all have prepared the
 * same version does each switch to it, and the bundle is kept in the cluster for members that
 * join later. A bundle that fails anywhere is refused with each member's reason, and nothing
 * changes anywhere.
 */
public final class ClusterPolicy {
  static final String EXECUTOR = "verdict-policy";
  static final String BUNDLES = "verdict-policy";
  static final String ACTIVE = "active";
  /** Held (a map lock: Community has no CP locks) while a push runs, so two pushes never interleave. */
  static final String PUSHING = "pushing";
  /** How a refusal names the member that handled the push, when it is the only one. */
  static final String THIS_NODE = "this node";

  private final HazelcastInstance hz;
  private final PolicyParticipant local;
  private final long timeoutMillis;

  /** Registers {@code local} as this member's participant. */
  public ClusterPolicy(HazelcastInstance hz, PolicyParticipant local, long timeoutMillis) {
    this.hz = hz;
    this.local = local;
    this.timeoutMillis = timeoutMillis;
    hz.getUserContext().put(PolicyParticipant.USER_CONTEXT_KEY, local);
  }

  /**
   * What a push did.
   *
   * @param activated every member now serves {@code version}
   * @param refusals each member that could not prepare the bundle, with its reason
   * @param switched the members that serve {@code version} now, by address
   */
  public record PushResult(boolean activated, String version, Map<String, String> refusals, List<String> switched) {
    public PushResult {
      refusals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(refusals));
      switched = List.copyOf(switched);
    }

    PushResult(boolean activated, String version, Map<String, String> refusals) {
      this(activated, version, refusals, List.of());
    }
  }

  /**
   * A change to the cluster's active bundle, computed while the push lock is held: given the
   * active bundle (null when none was pushed), the new signed bundle to push, or why not.
   */
  @FunctionalInterface
  public interface BundleEdit {
    /** @throws EditRefused when the change cannot be made; nothing is pushed */
    byte[] apply(byte[] active) throws EditRefused;
  }

  /** Why a {@link BundleEdit} made no bundle; {@code reason} says what to do, for the caller. */
  public static final class EditRefused extends Exception {
    private final transient Object reason;

    public EditRefused(String message, Object reason) {
      super(message, null, false, false);
      this.reason = reason;
    }

    public Object reason() {
      return reason;
    }
  }

  /** Pushes a signed bundle to every member: both phases, blocking (never on an event loop). */
  public PushResult push(byte[] bundle) {
    try {
      return edit(active -> bundle);
    } catch (EditRefused e) {
      throw new IllegalStateException(e); // a push that replaces the bundle refuses nothing itself
    }
  }

  /**
   * Reads the active bundle, edits it and pushes the result, all under the push lock, so an edit
   * made on one member never overwrites one made meanwhile on another (no lost update). Blocking.
   */
  public synchronized PushResult edit(BundleEdit edit) throws EditRefused {
    IMap<String, byte[]> bundles = bundles();
    boolean locked;
    try {
      // the lease frees the lock if the pushing member dies mid-push
      locked = bundles.tryLock(PUSHING, timeoutMillis, TimeUnit.MILLISECONDS, 4 * timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      locked = false;
    }
    if (!locked) {
      return new PushResult(false, "", Map.of(THIS_NODE, "another push is in progress; try again when it has finished"));
    }
    try {
      byte[] bundle = edit.apply(bundles.get(ACTIVE));
      if (bundle.length > PolicyTask.MAX_BUNDLE_BYTES) {
        return new PushResult(false, "", Map.of(THIS_NODE, "the bundle is larger than "
            + PolicyTask.MAX_BUNDLE_BYTES + " bytes"));
      }
      return pushLocked(bundle);
    } finally {
      try {
        bundles.unlock(PUSHING);
      } catch (IllegalMonitorStateException e) {
        // the lease ran out during a very slow push: the lock is already free
      }
    }
  }

  private PushResult pushLocked(byte[] bundle) {
    IExecutorService executor = hz.getExecutorService(EXECUTOR);
    Map<Member, Future<Object>> prepared = executor.submitToAllMembers(PolicyTask.prepare(bundle));
    Map<String, String> refusals = new LinkedHashMap<>();
    String version = null;
    for (Map.Entry<Member, Future<Object>> e : prepared.entrySet()) {
      String who = e.getKey().getAddress().toString();
      Object answer = await(e.getValue());
      if (!(answer instanceof PrepareOutcome o)) {
        refusals.put(who, answer instanceof String s ? s : "did not answer");
      } else if (!o.ok()) {
        refusals.put(who, o.message());
      } else if (version == null) {
        version = o.version();
      } else if (!version.equals(o.version())) {
        refusals.put(who, "compiled the bundle to another version (" + o.version() + ")");
      }
    }
    if (!refusals.isEmpty() || version == null) {
      if (version != null) {
        executor.submitToAllMembers(PolicyTask.abort(version));
      }
      return new PushResult(false, version == null ? "" : version, refusals);
    }
    bundles().set(ACTIVE, bundle);
    Map<Member, Future<Object>> activated = executor.submitToAllMembers(PolicyTask.activate(version));
    List<String> switched = new ArrayList<>();
    for (Map.Entry<Member, Future<Object>> e : activated.entrySet()) {
      if (Boolean.TRUE.equals(await(e.getValue()))) {
        switched.add(e.getKey().getAddress().toString());
      } else {
        refusals.put(e.getKey().getAddress().toString(), "did not switch (it will not report ready)");
      }
    }
    return new PushResult(refusals.isEmpty(), version, refusals, switched);
  }

  /**
   * For a member joining a cluster that serves a pushed bundle: prepares and serves it, so the
   * member is never ready with another version. False when the cluster has none, or it did not load.
   */
  public boolean adoptActive() {
    return adopt().activated();
  }

  /**
   * {@link #adoptActive} with the reason: activated with the bundle's version; not activated
   * and no refusals when the cluster has no pushed bundle; otherwise why this member cannot
   * serve the cluster's bundle.
   */
  public PushResult adopt() {
    byte[] bundle = bundles().get(ACTIVE);
    if (bundle == null) {
      return new PushResult(false, "", Map.of());
    }
    PrepareOutcome o = local.prepare(bundle);
    if (!o.ok()) {
      return new PushResult(false, "", Map.of(THIS_NODE, o.message()));
    }
    if (!local.activate(o.version())) {
      return new PushResult(false, o.version(), Map.of(THIS_NODE, "another bundle was pushed meanwhile"));
    }
    return new PushResult(true, o.version(), Map.of());
  }

  /** Whether the cluster serves a pushed bundle (members on their directories otherwise). */
  boolean hasPushedBundle() {
    return bundles().containsKey(ACTIVE);
  }

  private IMap<String, byte[]> bundles() {
    return hz.getMap(BUNDLES);
  }

  private Object await(Future<Object> f) {
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return "did not answer within " + timeoutMillis + " ms";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (ExecutionException e) {
      return "failed: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    }
  }
}
