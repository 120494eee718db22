package dev.verdict.sdk;

import java.time.Duration;

/**
 * The rate limit that applied to a decision: the one that refused, or the tightest that admitted.
 *
 * @param intent the intent limited ({@code funds.transfer})
 * @param name the limit's name in the policy set
 * @param limit requests allowed per window
 * @param remaining requests left in the window
 * @param reset when the window's budget is whole again
 * @param retryAfter how long to wait before asking again; zero when admitted
 */
public record Rate(String intent, String name, long limit, long remaining, Duration reset, Duration retryAfter) {}
