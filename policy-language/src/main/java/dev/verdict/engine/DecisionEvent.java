package dev.verdict.engine;

import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Request;

/**
 * One decision, as listeners see it.
 *
 * @param request the request as decided: with the engine's {@code now} and, for gateway
 *     checks, what the route added to its context
 * @param decision the answer, rate outcome included
 * @param intent the intent whose limits applied (or would have), null when none
 * @param nowMillis the engine clock's time the decision was taken at
 * @param nanos how long deciding took, listeners excluded
 * @param attachment what the caller passed in {@link DecideOptions#attachment}
 */
public record DecisionEvent(Request request, Decision decision, String intent, long nowMillis, long nanos,
    Object attachment) {}
