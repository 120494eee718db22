package dev.verdict.server.policy;

import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Engine;
import dev.verdict.engine.ReloadResult;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.DiagnosticJson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The server's view of the engine's policy set: reloads it from the policy directory (on a
 * worker thread, never an event loop; serialised by the engine) and shows what each version
 * removed. A set that does not compile is refused and the previous one keeps serving. The
 * snapshot follows whatever the engine serves, so a set activated by the cluster shows too.
 */
public final class PolicyStore {
  private final Engine engine;
  private final Path directory;
  private final Clock clock;
  private final AtomicReference<PolicySnapshot> current = new AtomicReference<>();
  private final AtomicReference<ReloadOutcome> last = new AtomicReference<>();
  private final List<Consumer<ReloadOutcome>> listeners = new CopyOnWriteArrayList<>();
  /** The version of the last bundle pushed to this node; "" while it serves its directory. */
  private volatile String pushed = "";

  public PolicyStore(Engine engine, Path directory, Clock clock) {
    this.engine = engine;
    this.directory = directory;
    this.clock = clock;
  }

  public Path directory() {
    return directory;
  }

  public Engine engine() {
    return engine;
  }

  /** The snapshot to answer with; empty only before the first successful load. */
  public Optional<PolicySnapshot> current() {
    Optional<ActivePolicy> active = engine.active();
    if (active.isEmpty()) {
      return Optional.empty();
    }
    PolicySnapshot seen = current.get();
    if (seen != null && seen.active() == active.get()) {
      return Optional.of(seen);
    }
    return Optional.of(follow(seen, active.get()));
  }

  /** A snapshot for a set the engine switched to; what it removed is computed once per version. */
  private PolicySnapshot follow(PolicySnapshot before, ActivePolicy now) {
    Removals removed = before == null ? Removals.NONE : Removals.between(before.set(), now.set());
    PolicySnapshot next = new PolicySnapshot(now, removed);
    return current.compareAndSet(before, next) ? next : current.get();
  }

  public Optional<ReloadOutcome> lastReload() {
    return Optional.ofNullable(last.get());
  }

  /** Called after every load attempt, on the loading thread. */
  public void onReload(Consumer<ReloadOutcome> listener) {
    listeners.add(listener);
  }

  /**
   * Switches this node to push mode, before it serves a pushed bundle of {@code version}: from
   * now on the directory is not loaded again (a reload would undo the push), until restart.
   * Waits for a reload in progress to finish, so that one cannot land after the bundle.
   */
  public synchronized void servePushed(String version) {
    pushed = version;
  }

  /** The version of the last bundle pushed to this node, if it serves pushed bundles. */
  public Optional<String> pushed() {
    String p = pushed;
    return p.isEmpty() ? Optional.empty() : Optional.of(p);
  }

  /**
   * Loads the directory and, if it compiles to another version, serves it. Blocking. In push
   * mode nothing is loaded and the last outcome stands.
   */
  public synchronized ReloadOutcome reload() {
    if (!pushed.isEmpty() && last.get() != null) {
      return last.get();
    }
    // Settle the snapshot of the set served now, so what the new one removed is measured
    // against it even when no request has looked at it since it loaded.
    current();
    ReloadResult r = engine.reload();
    DataRedaction redaction = new DataRedaction(r.sources());
    String rendered = redaction.render(r.diagnostics());
    ReloadOutcome outcome;
    if (r.ok()) {
      Removals removed = r.changed() ? current().orElseThrow().removed() : Removals.NONE;
      outcome = new ReloadOutcome(true, r.changed(), clock.instant(), r.version(),
          DiagnosticJson.toJson(redaction.apply(r.diagnostics())), rendered, removed);
    } else {
      outcome = new ReloadOutcome(false, false, clock.instant(), r.version(),
          DiagnosticJson.toJson(errorsFirst(redaction.apply(r.diagnostics()))), rendered, Removals.NONE);
    }
    last.set(outcome);
    for (Consumer<ReloadOutcome> l : listeners) {
      l.accept(outcome);
    }
    return outcome;
  }

  private static List<Diagnostic> errorsFirst(List<Diagnostic> all) {
    List<Diagnostic> out = new ArrayList<>(all.stream().filter(Diagnostic::isError).toList());
    all.stream().filter(d -> !d.isError()).forEach(out::add);
    return out;
  }
}
