package dev.verdict.server.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decision log: JSON lines written by one background thread from a bounded queue. Request
 * threads only {@link #offer}; when the queue is full (in records, or in the bytes its records
 * hold) the record is dropped and counted, so a slow disk or a blocked stdout never slows or
 * blocks decisions, and callers sending long ids cannot make the queue hold more memory.
 */
public final class DecisionLog implements AutoCloseable {
  private static final DecisionRecord STOP = new DecisionRecord(0, "", "", "", "", "", "", "", "", "", "", null, "",
      List.of(), java.util.Map.of(), java.util.Set.of(), null, 0);

  /** The most bytes the queued records may hold (see {@link DecisionRecord#estimatedBytes}). */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  private final BlockingQueue<DecisionRecord> queue;
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
    this.queue = new ArrayBlockingQueue<>(capacity);
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

  /** Queues a record without blocking; false (and counted) when the queue is full. */
  public boolean offer(DecisionRecord r) {
    if (!enabled) {
      return true;
    }
    long bytes = r.estimatedBytes();
    if (closed || queuedBytes.addAndGet(bytes) > maxBytes) {
      queuedBytes.addAndGet(-bytes);
      return drop();
    }
    if (!queue.offer(r)) {
      queuedBytes.addAndGet(-bytes);
      return drop();
    }
    return true;
  }

  private boolean drop() {
    dropped.incrementAndGet();
    onDrop.run();
    return false;
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
    List<DecisionRecord> batch = new ArrayList<>();
    try (JsonGenerator g = factory.createGenerator(new NonClosing(out), JsonEncoding.UTF8)) {
      g.setRootValueSeparator(null);
      while (true) {
        DecisionRecord first = queue.take();
        batch.add(first);
        queue.drainTo(batch, 1023);
        boolean stop = false;
        for (DecisionRecord r : batch) {
          if (r == STOP) {
            stop = true;
            break;
          }
          write(g, r);
          g.writeRaw('\n');
          written.incrementAndGet();
          queuedBytes.addAndGet(-r.estimatedBytes());
        }
        batch.clear();
        g.flush();
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      err.log(System.Logger.Level.ERROR, "the decision log cannot be written (" + e.getMessage()
          + "); further decisions are not logged");
      closed = true;
    }
  }

  private static void write(JsonGenerator g, DecisionRecord r) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", Instant.ofEpochMilli(r.time()).toString());
    g.writeStringField("decisionId", r.decisionId());
    g.writeStringField("requestId", r.requestId());
    g.writeStringField("policyVersion", r.policyVersion());
    g.writeStringField("caller", r.caller());
    g.writeStringField("endpoint", r.endpoint());
    g.writeObjectFieldStart("principal");
    g.writeStringField("type", r.principalType());
    g.writeStringField("id", r.principalId());
    g.writeEndObject();
    g.writeObjectFieldStart("resource");
    g.writeStringField("type", r.resourceType());
    g.writeStringField("id", r.resourceId());
    g.writeEndObject();
    g.writeStringField("action", r.action());
    if (r.intent() != null) {
      g.writeStringField("intent", r.intent());
    }
    g.writeStringField("decision", r.decision());
    g.writeArrayFieldStart("reasons");
    for (String reason : r.reasons()) {
      g.writeString(reason);
    }
    g.writeEndArray();
    g.writeObjectFieldStart("readMask");
    for (var e : new TreeMap<>(r.readMask()).entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeArrayFieldStart("writeDenied");
    for (String p : new TreeSet<>(r.writeDenied())) {
      g.writeString(p);
    }
    g.writeEndArray();
    if (r.rate() != null) {
      g.writeObjectFieldStart("rate");
      g.writeStringField("limit", r.rate().limit());
      g.writeBooleanField("allowed", r.rate().allowed());
      g.writeNumberField("remaining", r.rate().remaining());
      if (r.rate().unavailable() != null) {
        g.writeStringField("unavailable", r.rate().unavailable());
      }
      g.writeEndObject();
    }
    if (!r.errors().isEmpty()) {
      g.writeArrayFieldStart("errors");
      for (DecisionRecord.EvalFailure e : r.errors()) {
        g.writeStartObject();
        g.writeStringField("code", e.code());
        g.writeStringField("rule", e.rule());
        g.writeStringField("at", e.at());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeNumberField("latencyMicros", r.latencyMicros());
    g.writeEndObject();
  }

  /** Writes what is queued, then stops; waits at most {@code millis}. */
  public void close(long millis) {
    if (closed || !enabled) {
      return;
    }
    closed = true;
    try {
      queue.offer(STOP, millis, TimeUnit.MILLISECONDS);
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
