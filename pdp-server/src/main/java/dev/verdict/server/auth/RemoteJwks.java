package dev.verdict.server.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keys from a JWKS URL through nimbus' source chain: bounded fetches (timeouts, size), one retry,
 * a cache refreshed ahead of expiry in the background, a rate limit on fetches forced by unknown
 * {@code kid}s, and outage tolerance (the last good set keeps serving while the URL fails).
 * Lookups block when a fetch is due, so callers on an event loop go through a worker.
 */
final class RemoteJwks implements Jwks {
  private static final JWKSelector ALL_KEYS = new JWKSelector(new JWKMatcher.Builder().build());

  private final JwtConfig config;
  private final URL url;
  private final AtomicReference<JWKSource<SecurityContext>> source = new AtomicReference<>();
  private volatile boolean fetched;

  RemoteJwks(JwtConfig config) {
    this.config = config;
    try {
      this.url = config.jwksUrl().toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("jwt: `jwksUrl` is not a usable URL: `" + config.jwksUrl() + "`");
    }
    source.set(build());
  }

  private JWKSource<SecurityContext> build() {
    DefaultResourceRetriever retriever = new DefaultResourceRetriever(
        (int) config.jwksConnectTimeout().toMillis(),
        (int) config.jwksReadTimeout().toMillis(),
        config.jwksMaxBytes());
    return JWKSourceBuilder.<SecurityContext>create(url, retriever)
        .cache(config.jwksCacheTtl().toMillis(), config.jwksRefreshTimeout().toMillis())
        .refreshAheadCache(config.jwksRefreshAhead().toMillis(), true)
        .rateLimited(config.jwksRateLimit().toMillis())
        .retrying(true)
        .outageTolerant(config.jwksOutageTolerance().toMillis())
        .build();
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    List<JWK> keys = source.get().get(selector, context);
    fetched = true;
    return keys;
  }

  @Override
  public boolean hasKeys() {
    return fetched;
  }

  @Override
  public JwksStatus warmUp() {
    return fetch(source.get());
  }

  /** A fresh chain, fetched once; swapped in only if the fetch succeeds. */
  @Override
  public JwksStatus reload() {
    JWKSource<SecurityContext> fresh = build();
    JwksStatus status = fetch(fresh);
    if (status.available()) {
      closeQuietly(source.getAndSet(fresh));
    } else {
      closeQuietly(fresh);
    }
    return status;
  }

  private JwksStatus fetch(JWKSource<SecurityContext> s) {
    try {
      int n = s.get(ALL_KEYS, null).size();
      fetched = true;
      return JwksStatus.ok(n);
    } catch (KeySourceException | RuntimeException e) {
      return JwksStatus.unavailable("cannot fetch JWKS from `" + url + "`: " + describe(e));
    }
  }

  private static String describe(Exception e) {
    Throwable t = e;
    // the innermost cause says what went wrong (connection refused, 503, bad JSON)
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? "the key source failed" : m;
  }

  @Override
  public void close() {
    closeQuietly(source.get());
  }

  private static void closeQuietly(JWKSource<SecurityContext> s) {
    if (s instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // closing only stops refresh threads; nothing to recover
      }
    }
  }
}
