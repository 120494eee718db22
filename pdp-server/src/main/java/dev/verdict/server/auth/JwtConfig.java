package dev.verdict.server.auth;

import dev.verdict.lang.eval.ContextKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How bearer tokens are checked and turned into a principal. Exactly one of {@code jwksFile} and
 * {@code jwksUrl} is set. The canonical constructor rejects unsafe or contradictory settings
 * with an {@link IllegalArgumentException} whose message names the setting and the bad value,
 * so a server can refuse to start with a clear reason. Start from {@link #builder()}: it holds
 * the defaults.
 *
 * @param jwksFile a JWKS document on disk, read at start and on {@link JwtVerifier#reload()}
 * @param jwksUrl a JWKS endpoint (https, or http on loopback or when {@code jwksAllowHttp})
 * @param issuer the exact {@code iss} value trusted
 * @param audiences {@code aud} must contain at least one of these
 * @param algorithms the signature algorithms accepted; never derived from a token
 * @param maxClockSkew tolerance for {@code exp}, {@code nbf} and {@code iat}; at most 5 minutes
 * @param requireIssuedAt whether {@code iat} must be present
 * @param acceptedTypes accepted {@code typ} header values (compared ignoring case and an
 *     {@code application/} prefix)
 * @param typeRequired whether a token without {@code typ} is refused
 * @param rolesClaim the claim holding roles; a top-level name or a dotted path
 * @param attributeClaims claim (name or dotted path) to principal attribute name
 * @param principalType the entity type of the principal, e.g. {@code User}
 * @param cacheMaxTtl longest time a verified token stays cached (never past its {@code exp})
 * @param cacheMaxBytes the verified-token cache's bound, in estimated bytes held (not a count:
 *     tokens carry claims of any size)
 * @param jwksCacheTtl how long a fetched JWKS is used before it is fetched again
 * @param jwksRefreshAhead how long before expiry the JWKS is refreshed in the background
 * @param jwksRateLimit least time between two JWKS fetches (unknown {@code kid}s force fetches)
 * @param jwksOutageTolerance how long the last good JWKS keeps serving while the URL fails
 * @param jwksConnectTimeout connect timeout of one fetch
 * @param jwksReadTimeout read timeout of one fetch
 * @param jwksMaxBytes largest JWKS document accepted
 * @param jwksAllowHttp allow a plain-http JWKS URL on a non-loopback host
 * @param contextClaims claim (name or dotted path) to request context attribute, for what a
 *     token says about the session rather than the principal (e.g. that it used MFA)
 */
public record JwtConfig(
    Path jwksFile,
    URI jwksUrl,
    String issuer,
    Set<String> audiences,
    Set<String> algorithms,
    Duration maxClockSkew,
    boolean requireIssuedAt,
    Set<String> acceptedTypes,
    boolean typeRequired,
    String rolesClaim,
    Map<String, String> attributeClaims,
    String principalType,
    Duration cacheMaxTtl,
    long cacheMaxBytes,
    Duration jwksCacheTtl,
    Duration jwksRefreshAhead,
    Duration jwksRateLimit,
    Duration jwksOutageTolerance,
    Duration jwksConnectTimeout,
    Duration jwksReadTimeout,
    int jwksMaxBytes,
    boolean jwksAllowHttp,
    Map<String, String> contextClaims) {

  /** The largest clock skew accepted: more would make expiry meaningless. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  /** Algorithms accepted when none are configured. */
  public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "PS256", "ES256");

  static final Set<String> ASYMMETRIC = Set.of(
      "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
  static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");

  private static final Duration MAX_FETCH_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_JWKS_BYTES = 1024 * 1024;
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> RESERVED_ATTRIBUTES = Set.of("roles", "id", "type", "parents");
  /** Context attributes the server sets itself; a token must not be able to choose them. */
  private static final Set<String> RESERVED_CONTEXT = ContextKeys.RESERVED;

  public JwtConfig {
    if ((jwksFile == null) == (jwksUrl == null)) {
      throw bad("exactly one of `jwksFile` and `jwksUrl` must be set");
    }
    if (jwksUrl != null) {
      checkUrl(jwksUrl, jwksAllowHttp);
    }
    if (issuer == null || issuer.isBlank()) {
      throw bad("`issuer` must be set to the exact `iss` of trusted tokens");
    }
    audiences = nonBlankSet(audiences, "audiences");
    if (audiences.isEmpty()) {
      throw bad("`audiences` must name at least one audience");
    }
    algorithms = checkAlgorithms(algorithms);
    if (jwksUrl != null && HMAC.containsAll(algorithms)) {
      throw bad("HMAC algorithms need their shared secrets in `jwksFile`; secrets are never fetched from a URL");
    }
    requirePositiveOrZero(maxClockSkew, "maxClockSkew");
    if (maxClockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw bad("`maxClockSkew` must be at most 300s, got `" + maxClockSkew.toSeconds() + "s`");
    }
    acceptedTypes = nonBlankSet(acceptedTypes, "acceptedTypes");
    if (typeRequired && acceptedTypes.isEmpty()) {
      throw bad("`typeRequired` needs at least one accepted type");
    }
    rolesClaim = claimPath(rolesClaim, "rolesClaim");
    attributeClaims = checkTargets(attributeClaims, "attributeClaims", "attribute", RESERVED_ATTRIBUTES);
    contextClaims = checkTargets(contextClaims, "contextClaims", "context attribute", RESERVED_CONTEXT);
    if (principalType == null || !ATTRIBUTE_NAME.matcher(principalType).matches()) {
      throw bad("`principalType` must be an entity type name such as `User`, got `" + principalType + "`");
    }
    requirePositive(cacheMaxTtl, "cacheMaxTtl");
    if (cacheMaxBytes < 0) {
      throw bad("`cacheMaxBytes` must not be negative, got `" + cacheMaxBytes + "`");
    }
    requirePositive(jwksCacheTtl, "jwksCacheTtl");
    requirePositive(jwksRefreshAhead, "jwksRefreshAhead");
    requirePositive(jwksRateLimit, "jwksRateLimit");
    requirePositive(jwksOutageTolerance, "jwksOutageTolerance");
    requirePositive(jwksConnectTimeout, "jwksConnectTimeout");
    requirePositive(jwksReadTimeout, "jwksReadTimeout");
    if (jwksConnectTimeout.compareTo(MAX_FETCH_TIMEOUT) > 0 || jwksReadTimeout.compareTo(MAX_FETCH_TIMEOUT) > 0) {
      throw bad("`jwksConnectTimeout` and `jwksReadTimeout` must be at most 10s each");
    }
    if (jwksMaxBytes < 1024 || jwksMaxBytes > MAX_JWKS_BYTES) {
      throw bad("`jwksMaxBytes` must be between 1024 and 1048576, got `" + jwksMaxBytes + "`");
    }
    // nimbus refuses these combinations at build time; saying so here names the settings
    if (jwksRateLimit.compareTo(jwksCacheTtl) >= 0) {
      throw bad("`jwksRateLimit` must be shorter than `jwksCacheTtl`");
    }
    if (jwksOutageTolerance.compareTo(jwksCacheTtl) <= 0) {
      throw bad("`jwksOutageTolerance` must be longer than `jwksCacheTtl`");
    }
    if (jwksRefreshAhead.plus(refreshTimeout(jwksConnectTimeout, jwksReadTimeout)).compareTo(jwksCacheTtl) >= 0) {
      throw bad("`jwksRefreshAhead` plus the refresh timeout (twice `jwksConnectTimeout` and `jwksReadTimeout`,"
          + " plus 1s) must be shorter than `jwksCacheTtl`");
    }
  }

  /** A builder holding the defaults: RS256/PS256/ES256, 60 s skew, roles in {@code roles}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the verifier checks HMAC (shared-secret) tokens instead of public-key ones. */
  boolean hmac() {
    return HMAC.containsAll(algorithms);
  }

  /** How long a caller may wait for a JWKS fetch in progress: one fetch and its one retry. */
  Duration jwksRefreshTimeout() {
    return refreshTimeout(jwksConnectTimeout, jwksReadTimeout);
  }

  private static Duration refreshTimeout(Duration connect, Duration read) {
    return connect.plus(read).multipliedBy(2).plusSeconds(1);
  }

  private static void checkUrl(URI url, boolean allowHttp) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw bad("`jwksUrl` must be an absolute http(s) URL, got `" + url + "`");
    }
    if (scheme.equals("http") && !allowHttp && !isLoopback(url.getHost())) {
      throw bad("`jwksUrl` must use https unless the host is loopback or `jwksAllowHttp` is set, got `" + url + "`");
    }
    if (url.getRawUserInfo() != null) {
      throw bad("`jwksUrl` must not carry credentials");
    }
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }

  private static Set<String> checkAlgorithms(Set<String> algorithms) {
    Set<String> algs = nonBlankSet(algorithms, "algorithms");
    if (algs.isEmpty()) {
      throw bad("`algorithms` must name at least one algorithm, e.g. `RS256`");
    }
    for (String a : algs) {
      if (a.equalsIgnoreCase("none")) {
        throw bad("`algorithms` must not contain `none`: unsigned tokens are always refused");
      }
      if (!ASYMMETRIC.contains(a) && !HMAC.contains(a)) {
        throw bad("`algorithms` contains unsupported `" + a + "`; use RS256, RS384, RS512, PS256, PS384, PS512,"
            + " ES256, ES384, ES512 or, alone, HS256, HS384, HS512");
      }
    }
    boolean anyHmac = algs.stream().anyMatch(HMAC::contains);
    boolean anyAsymmetric = algs.stream().anyMatch(ASYMMETRIC::contains);
    if (anyHmac && anyAsymmetric) {
      // mixing lets a token signed with a public key as an HMAC secret pass as a keyed one
      throw bad("`algorithms` must not mix HMAC (HS*) with public-key algorithms");
    }
    return algs;
  }

  private static Map<String, String> checkTargets(Map<String, String> claims, String setting, String what,
      Set<String> reserved) {
    Objects.requireNonNull(claims, setting + " is null");
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> targets = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : claims.entrySet()) {
      String claim = claimPath(e.getKey(), setting);
      String name = e.getValue();
      if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
        throw bad("`" + setting + "` maps `" + claim + "` to `" + name + "`, which is not an attribute name");
      }
      if (reserved.contains(name)) {
        throw bad("`" + setting + "` must not map to reserved " + what + " `" + name + "`");
      }
      if (!targets.add(name)) {
        throw bad("`" + setting + "` maps two claims to " + what + " `" + name + "`");
      }
      out.put(claim, name);
    }
    return Map.copyOf(out);
  }

  private static String claimPath(String path, String setting) {
    if (path == null || path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      throw bad("`" + setting + "` must be a claim name or a dotted path such as `realm_access.roles`, got `"
          + path + "`");
    }
    return path;
  }

  private static Set<String> nonBlankSet(Set<String> values, String setting) {
    Objects.requireNonNull(values, setting + " is null");
    for (String v : values) {
      if (v == null || v.isBlank()) {
        throw bad("`" + setting + "` must not contain an empty value");
      }
    }
    return Set.copyOf(values);
  }

  private static void requirePositive(Duration d, String setting) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw bad("`" + setting + "` must be a positive duration, got `" + d + "`");
    }
  }

  private static void requirePositiveOrZero(Duration d, String setting) {
    if (d == null || d.isNegative()) {
      throw bad("`" + setting + "` must not be negative, got `" + d + "`");
    }
  }

  private static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException("jwt: " + message);
  }

  /** Collects settings; {@link #build()} validates them all at once through the record. */
  public static final class Builder {
    private Path jwksFile;
    private URI jwksUrl;
    private String issuer;
    private Set<String> audiences = Set.of();
    private Set<String> algorithms = DEFAULT_ALGORITHMS;
    private Duration maxClockSkew = Duration.ofSeconds(60);
    private boolean requireIssuedAt;
    private Set<String> acceptedTypes = Set.of("JWT", "at+jwt");
    private boolean typeRequired;
    private String rolesClaim = "roles";
    private Map<String, String> attributeClaims = Map.of();
    private String principalType = "User";
    private Duration cacheMaxTtl = Duration.ofMinutes(5);
    private long cacheMaxBytes = 32L * 1024 * 1024;
    private Duration jwksCacheTtl = Duration.ofMinutes(5);
    private Duration jwksRefreshAhead = Duration.ofSeconds(30);
    private Duration jwksRateLimit = Duration.ofSeconds(30);
    private Duration jwksOutageTolerance = Duration.ofHours(1);
    private Duration jwksConnectTimeout = Duration.ofSeconds(1);
    private Duration jwksReadTimeout = Duration.ofSeconds(1);
    private int jwksMaxBytes = 50 * 1024;
    private boolean jwksAllowHttp;
    private Map<String, String> contextClaims = Map.of();

    private Builder() {}

    public Builder jwksFile(Path v) {
      jwksFile = v;
      return this;
    }

    public Builder jwksUrl(URI v) {
      jwksUrl = v;
      return this;
    }

    public Builder issuer(String v) {
      issuer = v;
      return this;
    }

    public Builder audiences(String... v) {
      audiences = new LinkedHashSet<>(Arrays.asList(v));
      return this;
    }

    public Builder audiences(Set<String> v) {
      audiences = v;
      return this;
    }

    public Builder algorithms(String... v) {
      algorithms = new LinkedHashSet<>(Arrays.asList(v));
      return this;
    }

    public Builder algorithms(Set<String> v) {
      algorithms = v;
      return this;
    }

    public Builder maxClockSkew(Duration v) {
      maxClockSkew = v;
      return this;
    }

    public Builder requireIssuedAt(boolean v) {
      requireIssuedAt = v;
      return this;
    }

    public Builder acceptedTypes(Set<String> v) {
      acceptedTypes = v;
      return this;
    }

    public Builder typeRequired(boolean v) {
      typeRequired = v;
      return this;
    }

    public Builder rolesClaim(String v) {
      rolesClaim = v;
      return this;
    }

    public Builder attributeClaims(Map<String, String> v) {
      attributeClaims = v;
      return this;
    }

    public Builder principalType(String v) {
      principalType = v;
      return this;
    }

    public Builder cacheMaxTtl(Duration v) {
      cacheMaxTtl = v;
      return this;
    }

    public Builder cacheMaxBytes(long v) {
      cacheMaxBytes = v;
      return this;
    }

    public Builder jwksCacheTtl(Duration v) {
      jwksCacheTtl = v;
      return this;
    }

    public Builder jwksRefreshAhead(Duration v) {
      jwksRefreshAhead = v;
      return this;
    }

    public Builder jwksRateLimit(Duration v) {
      jwksRateLimit = v;
      return this;
    }

    public Builder jwksOutageTolerance(Duration v) {
      jwksOutageTolerance = v;
      return this;
    }

    public Builder jwksConnectTimeout(Duration v) {
      jwksConnectTimeout = v;
      return this;
    }

    public Builder jwksReadTimeout(Duration v) {
      jwksReadTimeout = v;
      return this;
    }

    public Builder jwksMaxBytes(int v) {
      jwksMaxBytes = v;
      return this;
    }

    public Builder jwksAllowHttp(boolean v) {
      jwksAllowHttp = v;
      return this;
    }

    public Builder contextClaims(Map<String, String> v) {
      contextClaims = v;
      return this;
    }

    /** The config, or an {@link IllegalArgumentException} naming the first bad setting. */
    public JwtConfig build() {
      return new JwtConfig(jwksFile, jwksUrl, issuer, audiences, algorithms, maxClockSkew, requireIssuedAt,
          acceptedTypes, typeRequired, rolesClaim, attributeClaims, principalType, cacheMaxTtl, cacheMaxBytes,
          jwksCacheTtl, jwksRefreshAhead, jwksRateLimit, jwksOutageTolerance, jwksConnectTimeout, jwksReadTimeout,
          jwksMaxBytes, jwksAllowHttp, contextClaims);
    }
  }
}
