package dev.verdict.engine;

import dev.verdict.lang.eval.EntityData;

/**
 * A gateway check refused because its request matched no route.
 *
 * @param reason why, in the words gateway answers use ({@code no-route}, {@code bad-path}, …)
 * @param version the policy version whose routes were consulted
 */
public record UnroutedEvent(String method, EntityData principal, String reason, String version, long nowMillis,
    long nanos, Object attachment) {}
