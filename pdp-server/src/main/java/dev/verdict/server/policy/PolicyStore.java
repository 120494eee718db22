package dev.verdict.server.policy;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.DiagnosticJson;
import dev.verdict.lang.source.Source;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The policy set the server answers with, swapped atomically on reload. Loading reads files
 * and compiles, so {@link #reload} must run on a worker thread, never an event loop; reloads
 * are serialised. A set that does not compile is refused and the previous one keeps serving.
 */
public final class PolicyStore {
  private final Path directory;
  private final Clock clock;
  private final AtomicReference<PolicySnapshot> current = new AtomicReference<>();
  private final AtomicReference<ReloadOutcome> last = new AtomicReference<>();
  private final List<Consumer<ReloadOutcome>> listeners = new CopyOnWriteArrayList<>();

  public PolicyStore(Path directory, Clock clock) {
    this.directory = directory;
    this.clock = clock;
  }

  public Path directory() {
    return directory;
  }

  /** The snapshot to answer with; empty only before the first successful load. */
  public Optional<PolicySnapshot> current() {
    return Optional.ofNullable(current.get());
  }

  public Optional<ReloadOutcome> lastReload() {
    return Optional.ofNullable(last.get());
  }

  /** Called after every load attempt, on the loading thread. */
  public void onReload(Consumer<ReloadOutcome> listener) {
    listeners.add(listener);
  }

  /** Loads the directory and, if it compiles to another version, serves it. Blocking. */
  public synchronized ReloadOutcome reload() {
    LoadResult r = Verdict.load(directory);
    PolicySnapshot before = current.get();
    ReloadOutcome outcome;
    DataRedaction redaction = new DataRedaction(r.check().sources());
    String rendered = redaction.render(r.check().diagnostics());
    if (r.ok()) {
      var set = r.policySet().orElseThrow();
      boolean changed = before == null || !before.version().equals(set.version());
      Removals removed = Removals.NONE;
      if (changed) {
        removed = before == null ? Removals.NONE : Removals.between(before.set(), set);
        current.set(new PolicySnapshot(set, clock.instant(), fileNames(r), removed));
      }
      outcome = new ReloadOutcome(true, changed, clock.instant(), set.version(),
          DiagnosticJson.toJson(redaction.apply(r.diagnostics())), rendered, removed);
    } else {
      outcome = new ReloadOutcome(false, false, clock.instant(), before == null ? "" : before.version(),
          DiagnosticJson.toJson(errorsFirst(redaction.apply(r.diagnostics()))), rendered, Removals.NONE);
    }
    last.set(outcome);
    for (Consumer<ReloadOutcome> l : listeners) {
      l.accept(outcome);
    }
    return outcome;
  }

  private List<String> fileNames(LoadResult r) {
    List<String> names = new ArrayList<>();
    String prefix = directory.normalize().toString().replace('\\', '/') + "/";
    for (Source s : r.check().sources().policies()) {
      names.add(relative(s.name(), prefix));
    }
    for (Source s : r.check().sources().entityData()) {
      names.add(relative(s.name(), prefix));
    }
    names.sort(String::compareTo);
    return names;
  }

  private static String relative(String name, String prefix) {
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  private static List<Diagnostic> errorsFirst(List<Diagnostic> all) {
    List<Diagnostic> out = new ArrayList<>(all.stream().filter(Diagnostic::isError).toList());
    all.stream().filter(d -> !d.isError()).forEach(out::add);
    return out;
  }
}
