/**
 * Bearer-token (JWT) verification for the PDP server.
 *
 * <p>The server builds a {@link dev.verdict.server.auth.JwtConfig}, creates one
 * {@link dev.verdict.server.auth.JwtVerifier}, calls {@code warmUp()} off the event loop at
 * start-up, and per request tries {@code cached(token)} before {@code verify(token)} on a
 * worker. A {@link dev.verdict.server.auth.VerifiedToken} carries the principal for the
 * decision request; a {@link dev.verdict.server.auth.TokenRejected} carries a reason for the
 * 401 answer and the metrics, never the token.
 */
package dev.verdict.server.auth;
