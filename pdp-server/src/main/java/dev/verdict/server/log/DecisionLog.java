package dev.verdict.server.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.eval.EvalError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decision log: JSON lines written by one background thread from a bounded ring of reusable
 * slots ({@link LogRing}). Request threads only {@link #offer}, which fills a slot with references
 * to what the decision already holds: no record is allocated, copied or formatted on the request's
 * thread. When the ring is full (in records, or in the bytes its records hold) the record is
 * dropped and counted, so a slow disk or a blocked stdout never slows or blocks decisions, and
 * callers sending long ids cannot make the ring hold more memory.
 */
public final class DecisionLog implements AutoCloseable {
  /** The most bytes the queued records may hold (see {@link DecisionRecord#estimatedBytes}). */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
  /** {@link #claim}'s answers when no slot was claimed. */
  private static final long DROPPED = -1;
  private static final long OFF = -2;
  /** Records written between two flushes at most. */
  private static final int BATCH = 1024;
  /** How long the idle writer sleeps before it looks again without being woken (records and closing wake it). */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final LogRing ring;
  private final long maxBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final OutputStream out;
  private final boolean closeOut;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final Thread thread;
  private final boolean enabled;
  private final Runnable onDrop;
  private final System.Logger err;
  private volatile boolean closed;

  /**
   * @param closeOut whether {@link #close} closes {@code out} (a file: yes; stdout: no)
   */
  public DecisionLog(OutputStream out, boolean closeOut, int capacity) {
    this(out, closeOut, capacity, () -> { });
  }

  /** @param onDrop called once for each record dropped (the metrics count it) */
  public DecisionLog(OutputStream out, boolean closeOut, int capacity, Runnable onDrop) {
    this(out, closeOut, capacity, onDrop, OperationalLog.stderr());
  }

  /** @param err where a log that cannot be written says so (the server's operational log) */
  public DecisionLog(OutputStream out, boolean closeOut, int capacity, Runnable onDrop, System.Logger err) {
    this(out, closeOut, capacity, DEFAULT_MAX_BYTES, true, onDrop, err);
  }

  /** @param maxBytes the most bytes the records waiting to be written may hold */
  public DecisionLog(OutputStream out, boolean closeOut, int capacity, long maxBytes, Runnable onDrop,
      System.Logger err) {
    this(out, closeOut, capacity, maxBytes, true, onDrop, err);
  }

  private DecisionLog(OutputStream out, boolean closeOut, int capacity, long maxBytes, boolean enabled,
      Runnable onDrop, System.Logger err) {
    this.maxBytes = maxBytes;
    this.onDrop = onDrop;
    this.err = err;
    // no more slots than the byte bound admits records (each is estimated at 256 bytes or more):
    // slots are kept once made, and a queue size of millions would otherwise keep millions
    this.ring = new LogRing((int) Math.max(1, Math.min(capacity, maxBytes / LogEntry.MIN_BYTES)));
    this.out = out;
    this.closeOut = closeOut;
    this.enabled = enabled;
    this.thread = new Thread(this::run, "verdict-decision-log");
    this.thread.setDaemon(true);
    if (enabled) {
      this.thread.start();
    }
  }

  /** A log that writes nothing (decision logging turned off). */
  public static DecisionLog disabled() {
    return new DecisionLog(OutputStream.nullOutputStream(), false, 1, 0, false, () -> { }, OperationalLog.stderr());
  }

  public boolean enabled() {
    return enabled;
  }

  /** Queues a record without blocking; false (and counted) when the ring is full. */
  public boolean offer(DecisionRecord r) {
    java.util.Objects.requireNonNull(r, "record is null"); // before a slot is claimed: a claimed slot must be published
    long seq = claim();
    if (seq < 0) {
      return seq == OFF;
    }
    LogEntry e = ring.slot(seq);
    e.fill(r);
    return publish(e, seq);
  }

  /**
   * Queues a decision without blocking and without allocating: the slot keeps references to the
   * arguments, which must not change afterwards (a decision's lists and maps are immutable), and
   * the writer formats them. False (and counted) when the ring is full. The arguments are those of
   * {@link DecisionRecord}, but the read mask and the errors as the decision holds them: the
   * effects' text and the errors' code, rule and position are written, never an error's message.
   *
   * @param rateLimit the name of the limit that applied, or null when none did (the rate's other
   *     arguments are then ignored)
   * @param rateUnavailable the {@code on unavailable} mode's word, or null
   */
  public boolean offer(long time, String decisionId, String requestId, String policyVersion, String caller,
      String endpoint, String principalType, String principalId, String resourceType, String resourceId,
      String action, String intent, String decision, List<String> reasons, Map<String, FieldEffect> readMask,
      Set<String> writeDenied, String rateLimit, boolean rateAllowed, long rateRemaining, String rateUnavailable,
      long latencyMicros, List<EvalError> errors) {
    long seq = claim();
    if (seq < 0) {
      return seq == OFF;
    }
    LogEntry e = ring.slot(seq);
    e.time = time;
    e.decisionId = decisionId;
    e.requestId = requestId;
    e.policyVersion = policyVersion;
    e.caller = caller;
    e.endpoint = endpoint;
    e.principalType = principalType;
    e.principalId = principalId;
    e.resourceType = resourceType;
    e.resourceId = resourceId;
    e.action = action;
    e.intent = intent;
    e.decision = decision;
    e.reasons = reasons;
    e.readMaskEffects = readMask;
    e.writeDenied = writeDenied;
    e.rated = rateLimit != null;
    e.rateLimit = rateLimit;
    e.rateAllowed = rateAllowed;
    e.rateRemaining = rateRemaining;
    e.rateUnavailable = rateUnavailable;
    e.latencyMicros = latencyMicros;
    e.errors = errors;
    return publish(e, seq);
  }

  /**
   * A slot's sequence for a record; {@link #OFF} when the log is off, or {@link #DROPPED} (counted)
   * when it is closed or the ring is full.
   */
  private long claim() {
    if (!enabled) {
      return OFF;
    }
    long seq = closed ? DROPPED : ring.claim();
    if (seq < 0) {
      drop();
      return DROPPED;
    }
    return seq;
  }

  /** Counts a filled slot's bytes against the bound (dropping it past the bound) and hands it to the writer. */
  private boolean publish(LogEntry e, long seq) {
    boolean kept;
    try {
      long bytes = e.estimatedBytes();
      if (closed || queuedBytes.addAndGet(bytes) > maxBytes) {
        queuedBytes.addAndGet(-bytes);
        e.dropped = true;
      } else {
        e.bytes = bytes;
      }
    } catch (RuntimeException x) {
      e.dropped = true; // a slot claimed is always published, or the writer would wait for it forever
      throw x;
    } finally {
      kept = !e.dropped;
      ring.publish(e, seq);
    }
    return kept || drop();
  }

  private boolean drop() {
    dropped.incrementAndGet();
    onDrop.run();
    return false;
  }

  /** How many records the ring can hold at once (package-private: for the bound's test). */
  int slots() {
    return ring.capacity();
  }

  /** What the writer thread is doing (package-private: the ring's test waits for it to sleep). */
  Thread.State writerState() {
    return thread.getState();
  }

  /** The bytes the records waiting to be written hold now. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long written() {
    return written.get();
  }

  private void run() {
    JsonFactory factory = new JsonFactory();
    try (JsonGenerator g = factory.createGenerator(new NonClosing(out), JsonEncoding.UTF8)) {
      g.setRootValueSeparator(null);
      while (true) {
        LogEntry first = ring.next();
        if (first == null) {
          if (closed && ring.pending() == 0) {
            return;
          }
          ring.await(IDLE_NANOS);
          continue;
        }
        // what was claimed by now, at most a batch: then one flush, as the queue's drain did
        long batch = Math.min(BATCH, Math.max(1, ring.pending()));
        for (LogEntry e = first; e != null && batch-- > 0; e = ring.next()) {
          if (!e.dropped) {
            write(g, e);
            g.writeRaw('\n');
            written.incrementAndGet();
            queuedBytes.addAndGet(-e.bytes);
          }
          ring.release(e);
        }
        g.flush();
      }
    } catch (IOException e) {
      err.log(System.Logger.Level.ERROR, "the decision log cannot be written (" + e.getMessage()
          + "); further decisions are not logged");
      closed = true;
    }
  }

  /** One record as a JSON object; masks sorted by path, so that the line does not depend on a map's order. */
  private static void write(JsonGenerator g, LogEntry r) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", Instant.ofEpochMilli(r.time).toString());
    g.writeStringField("decisionId", r.decisionId);
    g.writeStringField("requestId", r.requestId);
    g.writeStringField("policyVersion", r.policyVersion);
    g.writeStringField("caller", r.caller);
    g.writeStringField("endpoint", r.endpoint);
    g.writeObjectFieldStart("principal");
    g.writeStringField("type", r.principalType);
    g.writeStringField("id", r.principalId);
    g.writeEndObject();
    g.writeObjectFieldStart("resource");
    g.writeStringField("type", r.resourceType);
    g.writeStringField("id", r.resourceId);
    g.writeEndObject();
    g.writeStringField("action", r.action);
    if (r.intent != null) {
      g.writeStringField("intent", r.intent);
    }
    g.writeStringField("decision", r.decision);
    g.writeArrayFieldStart("reasons");
    for (String reason : r.reasons) {
      g.writeString(reason);
    }
    g.writeEndArray();
    g.writeObjectFieldStart("readMask");
    if (r.readMaskText != null && !r.readMaskText.isEmpty()) {
      for (var e : new TreeMap<>(r.readMaskText).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
    }
    if (r.readMaskEffects != null && !r.readMaskEffects.isEmpty()) {
      for (var e : new TreeMap<>(r.readMaskEffects).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue().text());
      }
    }
    g.writeEndObject();
    g.writeArrayFieldStart("writeDenied");
    if (!r.writeDenied.isEmpty()) {
      for (String p : new TreeSet<>(r.writeDenied)) {
        g.writeString(p);
      }
    }
    g.writeEndArray();
    if (r.rated) {
      g.writeObjectFieldStart("rate");
      g.writeStringField("limit", r.rateLimit);
      g.writeBooleanField("allowed", r.rateAllowed);
      g.writeNumberField("remaining", r.rateRemaining);
      if (r.rateUnavailable != null) {
        g.writeStringField("unavailable", r.rateUnavailable);
      }
      g.writeEndObject();
    }
    if (r.errorCount() > 0) {
      g.writeArrayFieldStart("errors");
      if (r.failures != null) {
        for (DecisionRecord.EvalFailure e : r.failures) {
          writeError(g, e.code(), e.rule(), e.at());
        }
      } else {
        for (EvalError e : r.errors) {
          writeError(g, e.kind().code(), e.ruleId(), e.span().location());
        }
      }
      g.writeEndArray();
    }
    g.writeNumberField("latencyMicros", r.latencyMicros);
    g.writeEndObject();
  }

  private static void writeError(JsonGenerator g, String code, String rule, String at) throws IOException {
    g.writeStartObject();
    g.writeStringField("code", code);
    g.writeStringField("rule", rule);
    g.writeStringField("at", at);
    g.writeEndObject();
  }

  /** Writes what is queued, then stops; waits at most {@code millis}. */
  public void close(long millis) {
    if (closed || !enabled) {
      return;
    }
    closed = true;
    try {
      ring.wake(thread);
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closeOut) {
      try {
        out.close();
      } catch (IOException e) {
        err.log(System.Logger.Level.WARNING, "the decision log file could not be closed: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    close(5_000);
  }

  /** The generator closes its stream; the log decides itself whether stdout gets closed. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
