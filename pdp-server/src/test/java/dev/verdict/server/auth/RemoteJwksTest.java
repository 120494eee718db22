package dev.verdict.server.auth;

import static dev.verdict.server.auth.Tokens.AUDIENCE;
import static dev.verdict.server.auth.Tokens.EC;
import static dev.verdict.server.auth.Tokens.ISSUER;
import static dev.verdict.server.auth.Tokens.NOW;
import static dev.verdict.server.auth.Tokens.RSA;
import static dev.verdict.server.auth.Tokens.RSA_2;
import static dev.verdict.server.auth.Tokens.claims;
import static dev.verdict.server.auth.Tokens.rs256;
import static dev.verdict.server.auth.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import dev.verdict.server.auth.TokenRejected.Reason;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JWKS from a URL served by a real HTTP server on loopback. */
class RemoteJwksTest {
  /** How long a background fetch may take to be seen: generous, polls end as soon as it is. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final Tokens.MutableClock clock = new Tokens.MutableClock(NOW);
  private final JwksServer server = new JwksServer();
  private JwtVerifier verifier;

  @AfterEach
  void close() {
    if (verifier != null) {
      verifier.close();
    }
    server.close();
  }

  /** Short timings so that fetches retry within a test's patience. */
  private JwtVerifier verifier(URI url, UnaryOperator<JwtConfig.Builder> tweak) {
    JwtConfig.Builder b = JwtConfig.builder().jwksUrl(url).issuer(ISSUER).audiences(AUDIENCE)
        .jwksConnectTimeout(Duration.ofMillis(300))
        .jwksReadTimeout(Duration.ofMillis(300))
        .jwksRateLimit(Duration.ofMillis(200))
        .jwksCacheTtl(Duration.ofSeconds(60))
        .jwksRefreshAhead(Duration.ofSeconds(5))
        .jwksOutageTolerance(Duration.ofSeconds(120));
    verifier = JwtVerifier.create(tweak.apply(b).build(), clock);
    return verifier;
  }

  private JwtVerifier verifier() {
    return verifier(server.url(), b -> b);
  }

  private static Reason reason(JwtVerifier v, String token) {
    TokenRejected e = catchThrowableOfType(TokenRejected.class, () -> v.verify(token));
    assertThat(e).as("token should be refused").isNotNull();
    return e.reason();
  }

  /** Verifies until the keys show up; only "keys not there yet" refusals are waited out. */
  private static VerifiedToken eventually(JwtVerifier v, String token) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Reason last = null;
    while (System.nanoTime() < deadline) {
      try {
        return v.verify(token);
      } catch (TokenRejected e) {
        last = e.reason();
        assertThat(last).isIn(Reason.JWKS_UNAVAILABLE, Reason.UNKNOWN_KEY);
      }
      Thread.sleep(50);
    }
    return fail("token still refused after " + PATIENCE + ": " + last);
  }

  @Test
  void verifiesWithKeysFromTheUrlAndCachesThem() throws Exception {
    server.serve(Tokens.jwks(RSA, EC));
    JwtVerifier v = verifier();
    assertThat(v.warmUp()).isEqualTo(new JwksStatus(true, 2, "2 signing keys loaded"));
    assertThat(v.verify(rs256()).subject()).isEqualTo("alice");
    assertThat(v.verify(sign(JWSAlgorithm.ES256, EC, JOSEObjectType.JWT, claims())).subject()).isEqualTo("alice");
    assertThat(server.hits()).as("one fetch serves every token").isEqualTo(1);
  }

  @Test
  void aJwksUrlDownAtStartRefusesTokensAndRecovers() throws Exception {
    server.serve(Tokens.jwks(RSA)).fail(503);
    JwtVerifier v = verifier();
    JwksStatus status = v.warmUp();
    assertThat(status.available()).isFalse();
    assertThat(status.message()).startsWith("cannot fetch JWKS from `" + server.url() + "`");
    String token = rs256();
    assertThat(reason(v, token)).isEqualTo(Reason.JWKS_UNAVAILABLE);

    server.serve(Tokens.jwks(RSA));
    assertThat(eventually(v, token).subject()).isEqualTo("alice");
  }

  @Test
  void aJwksUrlNobodyListensOnRefusesTokensWithoutCrashing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    JwtVerifier v = verifier(URI.create("http://127.0.0.1:" + port + "/jwks.json"), b -> b);
    assertThat(v.warmUp().available()).isFalse();
    assertThat(reason(v, rs256())).isEqualTo(Reason.JWKS_UNAVAILABLE);
  }

  @Test
  void aNewKidIsFetchedAfterKeyRotation() throws Exception {
    server.serve(Tokens.jwks(RSA));
    JwtVerifier v = verifier();
    assertThat(v.warmUp().available()).isTrue();
    assertThat(v.verify(rs256()).subject()).isEqualTo("alice");
    int before = server.hits();

    server.serve(Tokens.jwks(RSA, RSA_2));
    String rotated = sign(JWSAlgorithm.RS256, RSA_2, JOSEObjectType.JWT, claims(Map.of("sub", "bob")));
    assertThat(eventually(v, rotated).subject()).isEqualTo("bob");
    assertThat(server.hits()).isGreaterThan(before);
  }

  @Test
  void anUnknownKidCannotMakeTheServerFetchOnEveryRequest() throws Exception {
    server.serve(Tokens.jwks(RSA));
    JwtVerifier v = verifier(server.url(), b -> b.jwksRateLimit(Duration.ofSeconds(30)));
    assertThat(v.warmUp().available()).isTrue();
    String stranger = sign(JWSAlgorithm.RS256, RSA_2, JOSEObjectType.JWT, claims());
    for (int i = 0; i < 20; i++) {
      assertThat(reason(v, stranger)).as("a flood of unknown kids is unknown_key, not jwks_unavailable")
          .isEqualTo(Reason.UNKNOWN_KEY);
    }
    assertThat(server.hits()).as("the rate limit bounds forced refreshes").isLessThanOrEqualTo(3);
  }

  @Test
  void anOversizedJwksResponseIsRefused() throws Exception {
    server.serve(" ".repeat(80 * 1024) + Tokens.jwks(RSA));
    JwtVerifier v = verifier();
    assertThat(v.warmUp().available()).isFalse();
    assertThat(reason(v, rs256())).isEqualTo(Reason.JWKS_UNAVAILABLE);
  }

  @Test
  void aSlowJwksUrlIsCutOffByTheReadTimeout() throws Exception {
    // The server answers after two minutes: a fetch not cut off would take four (one retry).
    server.serve(Tokens.jwks(RSA)).delay(120_000);
    JwtVerifier v = verifier();
    long start = System.nanoTime();
    JwksStatus status = v.warmUp();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(status.available()).isFalse();
    assertThat(status.message()).containsIgnoringCase("timed out");
    assertThat(took).as("one fetch and one retry of 300 ms each, not the server's delay").isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void theLastGoodKeysServeThroughAnOutage() throws Exception {
    server.serve(Tokens.jwks(RSA));
    JwtVerifier v = verifier(server.url(), b -> b
        .jwksConnectTimeout(Duration.ofMillis(100))
        .jwksReadTimeout(Duration.ofMillis(100))
        .jwksRateLimit(Duration.ofMillis(100))
        .jwksCacheTtl(Duration.ofMillis(1800))
        .jwksRefreshAhead(Duration.ofMillis(50))
        .jwksOutageTolerance(Duration.ofSeconds(60)));
    assertThat(v.warmUp().available()).isTrue();
    server.fail(503);
    Thread.sleep(2500);
    // a token not seen before, so the verified-token cache cannot answer for it
    VerifiedToken t = v.verify(rs256(claims(Map.of("sub", "carol"))));
    assertThat(t.subject()).isEqualTo("carol");
    assertThat(server.hits()).as("the cache expired and the URL was asked again").isGreaterThan(1);
  }

  @Test
  void reloadFetchesAFreshSetAndKeepsTheOldOneOnFailure() throws Exception {
    server.serve(Tokens.jwks(RSA));
    JwtVerifier v = verifier();
    assertThat(v.warmUp().available()).isTrue();
    String old = rs256();
    v.verify(old);

    server.serve(Tokens.jwks(RSA_2));
    assertThat(v.reload()).isEqualTo(new JwksStatus(true, 1, "1 signing key loaded"));
    String rotated = sign(JWSAlgorithm.RS256, RSA_2, JOSEObjectType.JWT, claims());
    assertThat(v.verify(rotated).subject()).isEqualTo("alice");
    assertThat(v.cached(old)).isEmpty();

    server.fail(500);
    assertThat(v.reload().available()).isFalse();
    assertThat(v.verify(sign(JWSAlgorithm.RS256, RSA_2, JOSEObjectType.JWT, claims(Map.of("sub", "dave"))))
        .subject()).isEqualTo("dave");
  }

  @Test
  void aFetchedSetWithoutMatchingKeyTypeRefusesByKey() throws Exception {
    server.serve(Tokens.jwks(EC));
    JwtVerifier v = verifier(server.url(), b -> b.algorithms(Set.of("RS256")));
    assertThat(v.warmUp().available()).isTrue();
    assertThat(reason(v, rs256())).isIn(Reason.UNKNOWN_KEY);
  }

  @Test
  void keysAreRefreshedAheadInTheBackgroundUntilClosed() throws Exception {
    server.serve(Tokens.jwks(RSA));
    JwtVerifier v = verifier(server.url(), b -> b
        .jwksConnectTimeout(Duration.ofMillis(100))
        .jwksReadTimeout(Duration.ofMillis(100))
        .jwksRateLimit(Duration.ofMillis(100))
        .jwksCacheTtl(Duration.ofMillis(3000))
        .jwksRefreshAhead(Duration.ofMillis(1000)));
    assertThat(v.warmUp().available()).isTrue();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (server.hits() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(server.hits()).as("refreshed with no token asking").isGreaterThanOrEqualTo(2);
    v.close();
    Thread.sleep(200);
    int hits = server.hits();
    Thread.sleep(2500);
    assertThat(server.hits()).as("no refresh after close").isEqualTo(hits);
  }
}
