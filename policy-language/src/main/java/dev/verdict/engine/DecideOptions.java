package dev.verdict.engine;

/**
 * How to take one decision.
 *
 * @param explain also return a trace of every rule, role, mask and limit considered
 * @param consumeBudget whether the intent's rate limits apply; false for what-if questions
 *     (which actions may I take?) that must not spend anybody's budget
 * @param attachment whatever the caller wants handed to its {@link DecisionListener}s with the
 *     decision (a request id, the calling endpoint); the engine never reads it
 * @param entities the entity store this one decision reads instead of the engine's (a server
 *     answering "at least this revision" reads the store's authoritative copy), or null for
 *     the engine's own
 */
public record DecideOptions(boolean explain, boolean consumeBudget, Object attachment, EntitySource entities) {
  /** A decision as an enforcement point takes it: budgets apply, no trace. */
  public static final DecideOptions ENFORCE = new DecideOptions(false, true, null);
  /** A question about what would be allowed: no budget is spent. */
  public static final DecideOptions WHAT_IF = new DecideOptions(false, false, null);

  public DecideOptions(boolean explain, boolean consumeBudget, Object attachment) {
    this(explain, consumeBudget, attachment, null);
  }

  public DecideOptions withExplain(boolean on) {
    return new DecideOptions(on, consumeBudget, attachment, entities);
  }

  public DecideOptions withAttachment(Object a) {
    return new DecideOptions(explain, consumeBudget, a, entities);
  }

  /** These options with {@code source} read instead of the engine's entity source. */
  public DecideOptions withEntities(EntitySource source) {
    return new DecideOptions(explain, consumeBudget, attachment, source);
  }
}
