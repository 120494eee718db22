package dev.verdict.engine;

/**
 * Told of every decision an engine takes: the decision log and metrics are listeners. Called
 * on the deciding thread, after the decision is complete, so an implementation must be quick
 * and must not block (hand work to a queue). An exception thrown by a listener is reported and
 * ignored: recording a decision never changes it.
 */
public interface DecisionListener {

  void onDecision(DecisionEvent event);

  /** A gateway check whose request matched no route; denied without a decision. */
  default void onUnrouted(UnroutedEvent event) {}
}
