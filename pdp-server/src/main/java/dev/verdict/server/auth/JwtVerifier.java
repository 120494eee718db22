package dev.verdict.server.auth;

import static dev.verdict.server.auth.TokenRejected.Reason.BAD_SIGNATURE;
import static dev.verdict.server.auth.TokenRejected.Reason.JWKS_UNAVAILABLE;
import static dev.verdict.server.auth.TokenRejected.Reason.UNKNOWN_KEY;
import static dev.verdict.server.auth.TokenRejected.Reason.UNSUPPORTED_ALGORITHM;
import static dev.verdict.server.auth.TokenRejected.Reason.WRONG_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import dev.verdict.lang.eval.Value;
import java.security.Key;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks bearer tokens (signed JWTs) and maps them to a principal.
 *
 * <p>Order of checks: size and structure, {@code alg} against the configured allow-list (never
 * the other way round), {@code typ}, key by {@code kid} and algorithm family, signature, then
 * the registered claims against the clock and configuration. Verified tokens are cached by
 * their SHA-256 until they expire.
 *
 * <p>Thread-safe. {@link #verify} may block when the JWKS has to be fetched (first use, expiry,
 * an unknown {@code kid}); {@link #cached} never blocks. On a Vert.x event loop, try
 * {@code cached} first and run {@code verify} on a worker on a miss; call {@link #warmUp} at
 * start-up off the event loop. Close the verifier to stop background JWKS refreshes.
 */
public final class JwtVerifier implements AutoCloseable {
  /** RSA keys shorter than this are ignored (RFC 7518 §3.3 asks for 2048 bits). */
  private static final int MIN_RSA_BITS = 2048;
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9+._/-]{1,40}");

  private final JwtConfig config;
  private final Clock clock;
  private final Jwks jwks;
  private final JWSVerificationKeySelector<SecurityContext> keySelector;
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
  private final Set<JWSAlgorithm> algorithms;
  private final Set<String> acceptedTypes;
  private final ClaimRules rules;
  private final ClaimMapper mapper;
  private final TokenCache cache;

  private JwtVerifier(JwtConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    for (String a : config.algorithms()) {
      algs.add(JWSAlgorithm.parse(a));
    }
    this.algorithms = Set.copyOf(algs);
    Set<String> types = new LinkedHashSet<>();
    for (String t : config.acceptedTypes()) {
      types.add(normalType(t));
    }
    this.acceptedTypes = Set.copyOf(types);
    this.rules = new ClaimRules(config);
    this.mapper = new ClaimMapper(config);
    this.cache = new TokenCache(config, clock, rules);
    this.jwks = Jwks.of(config);
    this.keySelector = new JWSVerificationKeySelector<>(algorithms, jwks);
  }

  /** A verifier on the system clock. Does no I/O: call {@link #warmUp()} to load the keys. */
  public static JwtVerifier create(JwtConfig config) {
    return new JwtVerifier(config, Clock.systemUTC());
  }

  /** A verifier on the given clock (for tests). Does no I/O. */
  public static JwtVerifier create(JwtConfig config, Clock clock) {
    return new JwtVerifier(config, clock);
  }

  public JwtConfig config() {
    return config;
  }

  /**
   * Loads the JWKS file or fetches the JWKS URL once. Blocks; call it at start-up off the event
   * loop. A failure does not stop the verifier: tokens are refused with
   * {@link TokenRejected.Reason#JWKS_UNAVAILABLE} until a later lookup succeeds.
   */
  public JwksStatus warmUp() {
    return jwks.warmUp();
  }

  /**
   * Reads the JWKS file again, or fetches the URL through a fresh cache. On success the
   * verified-token cache is emptied, so a key removed from the set stops working at once; on
   * failure the previous keys stay in use. Blocks.
   */
  public JwksStatus reload() {
    JwksStatus status = jwks.reload();
    if (status.available()) {
      cache.clear();
    }
    return status;
  }

  /**
   * The principal for a token verified earlier and still unexpired by the clock, without any
   * I/O or signature work; empty when the token must go through {@link #verify}.
   */
  public Optional<VerifiedToken> cached(String token) {
    if (token == null || token.isEmpty() || token.length() > CompactJws.MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    return cache.get(token);
  }

  /**
   * Verifies a token (the part after {@code Bearer }) and returns its principal.
   *
   * @throws TokenRejected with the reason the token is refused; its message never holds the
   *     token
   */
  public VerifiedToken verify(String token) throws TokenRejected {
    Optional<VerifiedToken> hit = cached(token);
    if (hit.isPresent()) {
      return hit.get();
    }
    CompactJws jws = CompactJws.parse(token);
    JWSHeader header = jws.header;
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new TokenRejected(UNSUPPORTED_ALGORITHM, "algorithm " + quoted(header.getAlgorithm().getName())
          + "is not allowed; accepted: " + String.join(", ", config.algorithms().stream().sorted().toList()));
    }
    checkType(header.getType());
    verifySignature(jws, keys(header));
    Instant exp = rules.check(jws.claims, clock.instant());
    VerifiedToken verified = principal(jws.claims, exp);
    cache.put(token, verified);
    return verified;
  }

  /** How many verified tokens are cached now (for a metrics gauge). */
  public long cachedTokenCount() {
    return cache.size();
  }

  /** The estimated bytes the token cache holds (bounded by {@code cacheMaxBytes}). */
  public long cachedTokenBytes() {
    return cache.weightedSize();
  }

  @Override
  public void close() {
    jwks.close();
    cache.clear();
  }

  private void checkType(JOSEObjectType typ) throws TokenRejected {
    if (typ == null) {
      if (config.typeRequired()) {
        throw new TokenRejected(WRONG_TYPE, "token has no `typ` header; accepted: " + accepted());
      }
      return;
    }
    if (!acceptedTypes.contains(normalType(typ.getType()))) {
      throw new TokenRejected(WRONG_TYPE, "token type " + quoted(typ.getType()) + "is not accepted; accepted: "
          + accepted());
    }
  }

  private String accepted() {
    return String.join(", ", config.acceptedTypes().stream().sorted().toList());
  }

  /** RFC 7515 §4.1.9: media types compare without case and may drop {@code application/}. */
  private static String normalType(String t) {
    String lower = t.toLowerCase(Locale.ROOT);
    return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
  }

  private List<Key> keys(JWSHeader header) throws TokenRejected {
    List<? extends Key> selected;
    try {
      selected = keySelector.selectJWSKeys(header, null);
    } catch (RateLimitReachedException e) {
      // a kid missing from a key set fetched moments ago: the fetch it forced was refused by the
      // rate limit, so the answer is the one the fetch would most likely have given
      if (jwks.hasKeys()) {
        throw new TokenRejected(UNKNOWN_KEY, "no key in the key set has the token's `kid` (the key set was fetched"
            + " too recently to fetch it again)");
      }
      throw new TokenRejected(JWKS_UNAVAILABLE, "signing keys are unavailable");
    } catch (KeySourceException | RuntimeException e) {
      throw new TokenRejected(JWKS_UNAVAILABLE, "signing keys are unavailable");
    }
    List<Key> usable = selected.stream()
        .filter(k -> !(k instanceof RSAKey r) || r.getModulus().bitLength() >= MIN_RSA_BITS)
        .map(k -> (Key) k)
        .toList();
    if (usable.isEmpty()) {
      throw new TokenRejected(UNKNOWN_KEY, header.getKeyID() == null
          ? "no key in the key set fits the token's algorithm"
          : "no key in the key set has the token's `kid` and algorithm");
    }
    return usable;
  }

  private void verifySignature(CompactJws jws, List<Key> keys) throws TokenRejected {
    for (Key key : keys) {
      try {
        JWSVerifier verifier = verifiers.createJWSVerifier(jws.header, key);
        if (verifier.verify(jws.header, jws.signingInput, jws.signature)) {
          return;
        }
      } catch (JOSEException | RuntimeException e) {
        // a key unfit for this algorithm (wrong curve, short secret) cannot verify it; try the next
      }
    }
    throw new TokenRejected(BAD_SIGNATURE, "token signature does not verify");
  }

  private VerifiedToken principal(JsonNode claims, Instant exp) throws TokenRejected {
    Set<String> roles = mapper.roles(claims);
    Map<String, Value> attributes = mapper.attributes(claims);
    Map<String, Value> context = mapper.context(claims);
    return new VerifiedToken(config.principalType(), claims.get("sub").textValue(), roles, attributes, context, exp);
  }

  /** A header value in backticks and a trailing space if it is short and plain, else nothing. */
  private static String quoted(String s) {
    return s != null && SAFE_NAME.matcher(s).matches() ? "`" + s + "` " : "";
  }
}
