package dev.verdict.server.log;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded ring of reusable {@link LogEntry} slots between any number of request threads and the
 * log's one writer. A request thread claims the next sequence (one compare-and-set), fills that
 * sequence's slot and publishes it; the writer takes the slots in sequence order and clears each
 * one before it may be claimed again. Nothing is allocated per record once a slot exists (a slot is
 * made the first time its place in the ring is used, so an idle log holds no slots), and no lock
 * is taken: {@link java.util.concurrent.ArrayBlockingQueue} took one on every offer and signalled
 * the writer under it. The writer is woken only when it said it was going to sleep.
 */
final class LogRing {
  private final int capacity;
  private final AtomicReferenceArray<LogEntry> slots;
  /** The next sequence a request thread claims. */
  private final AtomicLong claimed = new AtomicLong();
  /** The next sequence the writer takes; written by the writer only. */
  private volatile long taken;
  /** The writer while it sleeps waiting for a record, else null. */
  private volatile Thread sleeping;

  LogRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  /**
   * Claims the next slot, or returns -1 when the ring is full. The caller fills
   * {@link #slot} of the sequence and then {@link #publish}es it, whatever happens in between.
   */
  long claim() {
    while (true) {
      long seq = claimed.get();
      if (seq - taken >= capacity) {
        return -1;
      }
      if (claimed.compareAndSet(seq, seq + 1)) {
        return seq;
      }
    }
  }

  int capacity() {
    return capacity;
  }

  /** The slot of a claimed sequence, made on its place's first use. */
  LogEntry slot(long seq) {
    int i = index(seq);
    LogEntry e = slots.get(i);
    if (e == null) {
      // only the claimer of this place touches it until it is published
      e = new LogEntry();
      slots.set(i, e);
    }
    return e;
  }

  /** Hands a filled (or dropped) slot to the writer. */
  void publish(LogEntry e, long seq) {
    e.published = seq;
    Thread writer = sleeping;
    if (writer != null) {
      LockSupport.unpark(writer);
    }
  }

  /** The writer's next slot if it has been published, else null. */
  LogEntry next() {
    long seq = taken;
    LogEntry e = slots.get(index(seq));
    return e != null && e.published == seq ? e : null;
  }

  /** The writer is done with the slot {@link #next} gave: it is cleared and may be claimed again. */
  void release(LogEntry e) {
    e.clear();
    taken = taken + 1;
  }

  /** Sequences claimed so far and not yet taken by the writer (published or still being filled). */
  long pending() {
    return claimed.get() - taken;
  }

  /**
   * The writer sleeps until a slot is published, it is unparked, or {@code nanos} pass; it says so
   * first, and looks once more, so that a publish between its last look and its sleep wakes it.
   */
  void await(long nanos) {
    sleeping = Thread.currentThread();
    try {
      if (next() == null) {
        LockSupport.parkNanos(this, nanos);
      }
    } finally {
      sleeping = null;
    }
  }

  /** Wakes the writer (to see that the log is closing). */
  void wake(Thread writer) {
    LockSupport.unpark(writer);
  }

  private int index(long seq) {
    return (int) (seq % capacity);
  }
}
