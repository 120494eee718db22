package dev.verdict.sdk;

import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/** Configures a {@link VerdictClient} of one or more remote decision points. */
public final class RemoteBuilder {
  private final List<URI> endpoints;
  private Duration connectTimeout = Duration.ofMillis(500);
  private Duration requestTimeout = Duration.ofSeconds(2);
  private int retries = 2;
  private Duration backoff = Duration.ofMillis(50);
  private Duration endpointRest = Duration.ofSeconds(5);
  private String apiKey;
  private SSLContext ssl;
  private Protocol protocol = Protocol.NATIVE;
  private byte[] hashKey;
  private long cacheBytes = 8L << 20;
  private Duration cacheTtl = Duration.ofSeconds(5);
  private Fallback fallback;
  private Path routes;
  private long maxAnswerBytes = 16L << 20;

  RemoteBuilder(List<URI> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("give at least one endpoint, e.g. http://127.0.0.1:8181");
    }
    for (URI u : endpoints) {
      Objects.requireNonNull(u, "an endpoint is null");
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("an endpoint is http://host:port or https://host:port, not " + u);
      }
    }
    this.endpoints = List.copyOf(endpoints);
  }

  /** How long to wait for a connection; 500 ms by default. */
  public RemoteBuilder connectTimeout(Duration d) {
    this.connectTimeout = positive(d, "connectTimeout");
    return this;
  }

  /** The deadline of one check, retries included; 2 s by default. When it passes the answer is a deny. */
  public RemoteBuilder requestTimeout(Duration d) {
    this.requestTimeout = positive(d, "requestTimeout");
    return this;
  }

  /**
   * How many times to ask again after a connection refused or a 503 (never after anything else,
   * which may have been processed); 2 by default, 0 for none.
   */
  public RemoteBuilder retries(int n) {
    if (n < 0 || n > 10) {
      throw new IllegalArgumentException("retries is between 0 and 10, not " + n);
    }
    this.retries = n;
    return this;
  }

  /** The first retry's backoff (doubling, with jitter); 50 ms by default. */
  public RemoteBuilder backoff(Duration d) {
    this.backoff = positive(d, "backoff");
    return this;
  }

  /** How long an endpoint that refused is tried only after the others; 5 s by default. */
  public RemoteBuilder endpointRest(Duration d) {
    this.endpointRest = positive(d, "endpointRest");
    return this;
  }

  /** An API key with the {@code decide} scope, sent as {@code Authorization: ApiKey …}; never logged. */
  public RemoteBuilder apiKey(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("the API key is empty");
    }
    this.apiKey = key;
    return this;
  }

  /** TLS settings: trust for the server, and the client certificate for mTLS. */
  public RemoteBuilder sslContext(SSLContext context) {
    this.ssl = Objects.requireNonNull(context, "context is null");
    return this;
  }

  /** Native (default: batches, server-stated cache TTL) or AuthZEN. */
  public RemoteBuilder protocol(Protocol p) {
    this.protocol = Objects.requireNonNull(p, "protocol is null");
    return this;
  }

  /**
   * The key of the {@code hash} mask (at least 16 bytes; 32 random bytes recommended), the same
   * on every service that masks for one deployment. Without it, hashed fields are redacted.
   */
  public RemoteBuilder hashKey(byte[] key) {
    Masks.withKey(Objects.requireNonNull(key, "key is null"));
    this.hashKey = key.clone();
    return this;
  }

  /**
   * The local decision cache: at most {@code maxBytes}, each answer for at most {@code maxTtl}
   * and never longer than the server allows ({@code cacheTtlSeconds}); 8 MiB and 5 s by default.
   */
  public RemoteBuilder cache(long maxBytes, Duration maxTtl) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes is negative");
    }
    this.cacheBytes = maxBytes;
    this.cacheTtl = Objects.requireNonNull(maxTtl, "maxTtl is null");
    return this;
  }

  /** No local cache: every check asks the server. */
  public RemoteBuilder noCache() {
    this.cacheBytes = 0;
    return this;
  }

  /** What to answer when the server cannot; a deny by default. */
  public RemoteBuilder fallback(Fallback f) {
    this.fallback = Objects.requireNonNull(f, "fallback is null");
    return this;
  }

  /**
   * The policy set whose routes {@link VerdictClient#check(String, String, Principal)} matches
   * (the server's set, deployed with the service); read once, at build. The decision itself is
   * still the server's.
   */
  public RemoteBuilder routes(Path policies) {
    this.routes = Objects.requireNonNull(policies, "policies is null");
    return this;
  }

  /** The largest answer read; 16 MiB by default. */
  public RemoteBuilder maxAnswerBytes(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxAnswerBytes is at least 1024");
    }
    this.maxAnswerBytes = bytes;
    return this;
  }

  public VerdictClient build() {
    HttpClient.Builder h = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      h.sslContext(ssl);
    }
    Transport t = new Transport(h.build(), endpoints, requestTimeout, retries + 1, backoff, endpointRest, apiKey,
        maxAnswerBytes);
    Wire wire = protocol == Protocol.NATIVE ? new NativeWire() : new AuthZenWire();
    LocalDecisions cache = cacheBytes == 0 || cacheTtl.isZero() ? null : new LocalDecisions(cacheBytes, cacheTtl);
    Supplier<Optional<ActivePolicy>> table = Optional::empty;
    if (routes != null) {
      Engine local = Engine.builder(PolicySource.directory(routes)).buildOrThrow();
      table = local::active;
    }
    return new RemoteClient(t, wire, Masks.withKey(hashKey), cache, fallback, table);
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return d;
  }
}
