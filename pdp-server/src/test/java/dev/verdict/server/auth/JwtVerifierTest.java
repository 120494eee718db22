package dev.verdict.server.auth;

import static dev.verdict.server.auth.Tokens.AUDIENCE;
import static dev.verdict.server.auth.Tokens.EC;
import static dev.verdict.server.auth.Tokens.ISSUER;
import static dev.verdict.server.auth.Tokens.NOW;
import static dev.verdict.server.auth.Tokens.RSA;
import static dev.verdict.server.auth.Tokens.RSA_2;
import static dev.verdict.server.auth.Tokens.SECRET;
import static dev.verdict.server.auth.Tokens.claims;
import static dev.verdict.server.auth.Tokens.raw;
import static dev.verdict.server.auth.Tokens.rs256;
import static dev.verdict.server.auth.Tokens.sign;
import static dev.verdict.server.auth.Tokens.signRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Value;
import dev.verdict.server.auth.TokenRejected.Reason;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtVerifierTest {
  @TempDir
  Path dir;

  private final Tokens.MutableClock clock = new Tokens.MutableClock(NOW);
  private JwtVerifier verifier;

  @AfterEach
  void close() {
    if (verifier != null) {
      verifier.close();
    }
  }

  private JwtVerifier verifier(UnaryOperator<JwtConfig.Builder> tweak) {
    Path file = Tokens.writeJwks(dir, RSA, EC);
    JwtConfig config = tweak.apply(JwtConfig.builder().jwksFile(file).issuer(ISSUER).audiences(AUDIENCE)).build();
    verifier = JwtVerifier.create(config, clock);
    assertThat(verifier.warmUp().available()).isTrue();
    return verifier;
  }

  private JwtVerifier verifier() {
    return verifier(b -> b);
  }

  private TokenRejected rejected(JwtVerifier v, String token) {
    TokenRejected e = catchThrowableOfType(TokenRejected.class, () -> v.verify(token));
    assertThat(e).as("token should be refused").isNotNull();
    if (token != null && token.length() > 10) {
      assertThat(e.getMessage()).doesNotContain(token).doesNotContain(token.substring(0, token.indexOf('.') + 1));
    }
    assertThat(e.getMessage()).matches("[a-z].*[^.]");
    return e;
  }

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> m = new HashMap<>();
    m.put(key, value);
    return m;
  }

  private static Map<String, Object> without(String key) {
    return with(key, null);
  }

  // --- accepted tokens

  @Test
  void acceptsRs256AndMapsThePrincipal() throws Exception {
    VerifiedToken t = verifier().verify(rs256());
    assertThat(t.subject()).isEqualTo("alice");
    assertThat(t.roles()).containsExactly("teller");
    assertThat(t.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    assertThat(t.principal().uid()).isEqualTo(new EntityUid("User", "alice"));
    assertThat(t.principal().attrs()).containsEntry("roles", new Value.SetOf(Set.of(new Value.Str("teller"))));
    assertThat(t.principal().parentsGiven()).isFalse();
    assertThat(t.toString()).doesNotContain("teller");
  }

  @Test
  void acceptsPs256() throws Exception {
    String token = sign(JWSAlgorithm.PS256, RSA, JOSEObjectType.JWT, claims());
    assertThat(verifier().verify(token).subject()).isEqualTo("alice");
  }

  @Test
  void acceptsEs256() throws Exception {
    String token = sign(JWSAlgorithm.ES256, EC, JOSEObjectType.JWT, claims());
    assertThat(verifier().verify(token).subject()).isEqualTo("alice");
  }

  @Test
  void acceptsAccessTokenTypeAndNoType() throws Exception {
    JwtVerifier v = verifier();
    assertThat(v.verify(sign(JWSAlgorithm.RS256, RSA, new JOSEObjectType("at+jwt"), claims())).subject())
        .isEqualTo("alice");
    assertThat(v.verify(sign(JWSAlgorithm.RS256, RSA, new JOSEObjectType("application/AT+JWT"), claims())))
        .isNotNull();
    assertThat(v.verify(sign(JWSAlgorithm.RS256, RSA, null, claims()))).isNotNull();
  }

  @Test
  void acceptsAnAudienceArrayHoldingOneOfOurs() throws Exception {
    String token = rs256(claims(with("aud", List.of("other", AUDIENCE))));
    assertThat(verifier().verify(token).subject()).isEqualTo("alice");
  }

  @Test
  void keyWithoutKidInTokenIsFoundByAlgorithm() throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
        new Payload(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims())));
    jws.sign(new com.nimbusds.jose.crypto.RSASSASigner(RSA));
    assertThat(verifier().verify(jws.serialize()).subject()).isEqualTo("alice");
  }

  // --- algorithms

  @ParameterizedTest
  @ValueSource(strings = {"none", "NONE", "None"})
  void refusesUnsignedTokens(String alg) {
    String token = raw("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}", com.nimbusds.jose.util.JSONObjectUtils
        .toJSONString(claims()), "");
    TokenRejected e = rejected(verifier(), token);
    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    assertThat(e.getMessage()).contains("none");
  }

  @Test
  void refusesHs256SignedWithTheRsaPublicKey() throws Exception {
    // the classic confusion: an HMAC "secret" that is the published RSA key
    byte[] secret = RSA.toRSAPublicKey().getEncoded();
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(RSA.getKeyID()).build(),
        new Payload(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims())));
    jws.sign(new MACSigner(secret));
    TokenRejected e = rejected(verifier(), jws.serialize());
    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    assertThat(e.getMessage()).isEqualTo("algorithm `HS256` is not allowed; accepted: ES256, PS256, RS256");
  }

  @Test
  void refusesAnAlgorithmOutsideTheAllowList() {
    JwtVerifier v = verifier(b -> b.algorithms("ES256"));
    TokenRejected e = rejected(v, rs256());
    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void hmacOnlyConfigurationAcceptsSharedSecretsAndRefusesRsa() throws Exception {
    Path file = dir.resolve("secrets.json");
    Files.writeString(file, new JWKSet(SECRET).toString(false));
    verifier = JwtVerifier.create(JwtConfig.builder().jwksFile(file).issuer(ISSUER).audiences(AUDIENCE)
        .algorithms("HS256").build(), clock);
    assertThat(verifier.verify(sign(JWSAlgorithm.HS256, SECRET, JOSEObjectType.JWT, claims())).subject())
        .isEqualTo("alice");
    assertThat(rejected(verifier, rs256()).reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
  }

  // --- keys and signatures

  @Test
  void refusesAnUnknownKid() {
    String other = sign(JWSAlgorithm.RS256, RSA_2, JOSEObjectType.JWT, claims());
    TokenRejected e = rejected(verifier(), other);
    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(e.getMessage()).isEqualTo("no key in the key set has the token's `kid` and algorithm");
  }

  @Test
  void refusesATamperedPayload() {
    String token = rs256();
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + Tokens.b64(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(
        claims(with("sub", "mallory")))) + "." + parts[2];
    TokenRejected e = rejected(verifier(), forged);
    assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(e.getMessage()).doesNotContain("mallory");
  }

  @Test
  void refusesASignatureByAnotherKeyUnderOurKid() throws Exception {
    RSAKey impostor = new RSAKey.Builder(RSA_2).keyID(RSA.getKeyID()).build();
    String token = sign(JWSAlgorithm.RS256, impostor, JOSEObjectType.JWT, claims());
    assertThat(rejected(verifier(), token).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void aKeyEmbeddedInTheHeaderIsNeverTrusted() throws Exception {
    // an attacker signs with its own key, ships that key in `jwk` and claims our kid
    RSAKey attacker = new RSAKey.Builder(RSA_2).keyID(RSA.getKeyID()).build();
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(RSA.getKeyID())
        .jwk(attacker.toPublicJWK()).build(),
        new Payload(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims())));
    jws.sign(new com.nimbusds.jose.crypto.RSASSASigner(attacker));
    assertThat(rejected(verifier(), jws.serialize()).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void ignoresRsaKeysShorterThan2048Bits() throws Exception {
    RSAKey weak = Tokens.weakRsa("weak");
    Path file = Tokens.writeJwks(dir, weak);
    verifier = JwtVerifier.create(JwtConfig.builder().jwksFile(file).issuer(ISSUER).audiences(AUDIENCE).build(),
        clock);
    String token = sign(JWSAlgorithm.RS256, weak, JOSEObjectType.JWT, claims());
    assertThat(rejected(verifier, token).reason()).isEqualTo(Reason.UNKNOWN_KEY);
  }

  // --- claims

  @Test
  void refusesAWrongIssuer() {
    TokenRejected e = rejected(verifier(), rs256(claims(with("iss", "https://evil.example.com/"))));
    assertThat(e.reason()).isEqualTo(Reason.WRONG_ISSUER);
    assertThat(e.getMessage()).doesNotContain("evil");
  }

  @Test
  void issuerMustMatchExactly() {
    assertThat(rejected(verifier(), rs256(claims(with("iss", ISSUER + "x")))).reason())
        .isEqualTo(Reason.WRONG_ISSUER);
  }

  @Test
  void refusesAWrongAudience() {
    assertThat(rejected(verifier(), rs256(claims(with("aud", "billing")))).reason())
        .isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(rejected(verifier, rs256(claims(with("aud", List.of("billing", "crm"))))).reason())
        .isEqualTo(Reason.WRONG_AUDIENCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sub", "exp", "iss", "aud"})
  void refusesAMissingRequiredClaim(String claim) {
    TokenRejected e = rejected(verifier(), rs256(claims(without(claim))));
    assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM);
    assertThat(e.getMessage()).isEqualTo("required claim `" + claim + "` is missing");
  }

  @Test
  void issuedAtIsOptionalUnlessRequired() throws Exception {
    String token = rs256(claims(without("iat")));
    assertThat(verifier().verify(token).subject()).isEqualTo("alice");
    verifier.close();
    assertThat(rejected(verifier(b -> b.requireIssuedAt(true)), token).reason()).isEqualTo(Reason.MISSING_CLAIM);
  }

  @Test
  void refusesATokenExpiredBeyondTheSkew() {
    String token = rs256(claims(with("exp", NOW.minusSeconds(120).getEpochSecond())));
    TokenRejected e = rejected(verifier(), token);
    assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(e.getMessage()).isEqualTo("token expired at " + NOW.minusSeconds(120));
  }

  @Test
  void acceptsATokenExpiredWithinTheSkew() throws Exception {
    String token = rs256(claims(with("exp", NOW.minusSeconds(10).getEpochSecond())));
    assertThat(verifier().verify(token).subject()).isEqualTo("alice");
  }

  @Test
  void skewIsConfigurable() {
    String token = rs256(claims(with("exp", NOW.minusSeconds(10).getEpochSecond())));
    assertThat(rejected(verifier(b -> b.maxClockSkew(Duration.ZERO)), token).reason()).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void refusesATokenNotYetValid() {
    String token = rs256(claims(with("nbf", NOW.plusSeconds(300).getEpochSecond())));
    TokenRejected e = rejected(verifier(), token);
    assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID);
  }

  @Test
  void acceptsNotBeforeWithinTheSkew() throws Exception {
    String token = rs256(claims(with("nbf", NOW.plusSeconds(30).getEpochSecond())));
    assertThat(verifier().verify(token).subject()).isEqualTo("alice");
  }

  @Test
  void refusesATokenIssuedInTheFuture() {
    String token = rs256(claims(with("iat", NOW.plusSeconds(3600).getEpochSecond())));
    assertThat(rejected(verifier(), token).reason()).isEqualTo(Reason.NOT_YET_VALID);
  }

  @Test
  void refusesClaimsOfTheWrongShape() {
    JwtVerifier v = verifier();
    assertThat(rejected(v, rs256(claims(with("exp", "tomorrow")))).reason()).isEqualTo(Reason.MALFORMED);
    assertThat(rejected(v, rs256(claims(with("sub", 42)))).reason()).isEqualTo(Reason.MALFORMED);
    assertThat(rejected(v, rs256(claims(with("aud", List.of(1, 2))))).reason()).isEqualTo(Reason.MALFORMED);
    assertThat(rejected(v, rs256(claims(with("sub", "")))).reason()).isEqualTo(Reason.MISSING_CLAIM);
  }

  @Test
  void acceptsFractionalAndHugeDates() throws Exception {
    JwtVerifier v = verifier();
    assertThat(v.verify(rs256(claims(with("exp", NOW.getEpochSecond() + 60.5)))).expiresAt())
        .isEqualTo(NOW.plusSeconds(60).plusMillis(500));
    assertThat(v.verify(rs256(claims(with("exp", new BigDecimal("1e30"))))).expiresAt().getEpochSecond())
        .isEqualTo(253_402_300_799L);
  }

  // --- type

  @Test
  void refusesAWrongType() {
    String token = sign(JWSAlgorithm.RS256, RSA, new JOSEObjectType("secevent+jwt"), claims());
    TokenRejected e = rejected(verifier(), token);
    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(e.getMessage()).isEqualTo("token type `secevent+jwt` is not accepted; accepted: JWT, at+jwt");
  }

  @Test
  void aRequiredTypeRefusesTokensWithout() throws Exception {
    JwtVerifier v = verifier(b -> b.acceptedTypes(Set.of("at+jwt")).typeRequired(true));
    assertThat(rejected(v, sign(JWSAlgorithm.RS256, RSA, null, claims())).reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(rejected(v, rs256()).reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(v.verify(sign(JWSAlgorithm.RS256, RSA, new JOSEObjectType("at+jwt"), claims()))).isNotNull();
  }

  // --- malformed input

  @Test
  void refusesAnOversizedToken() {
    String token = rs256(claims(with("blob", "x".repeat(20_000))));
    TokenRejected e = rejected(verifier(), token);
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("token is longer than 16384 characters");
  }

  @Test
  void refusesAMissingToken() {
    JwtVerifier v = verifier();
    assertThat(rejected(v, null).reason()).isEqualTo(Reason.MISSING);
    assertThat(rejected(v, "").reason()).isEqualTo(Reason.MISSING);
    assertThat(rejected(v, "   ").reason()).isEqualTo(Reason.MISSING);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "garbage", "a.b", "a.b.c", "a.b.c.d.e", "....", "eyJhbGciOiJSUzI1NiJ9..sig",
      "eyJhbGciOiJSUzI1NiJ9.e30.sig*", "e30.e30.c2ln", "bnVsbA.e30.c2ln", "W10.e30.c2ln",
      "eyJhbGciOjF9.e30.c2ln", "eyJhbGciOiJSUzI1NiIsImFsZyI6IlJTMjU2In0.e30.c2ln",
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0gZ2FyYmFnZQ.c2ln",
      "eyJhbGciOiJSUzI1NiJ9.e30.", "eyJhbGciOiJSUzI1NiJ9.e30.A",
      "eyJhbGciOiJSUzI1NiIsImNyaXQiOlsiZXhwIl0sImV4cCI6MX0.e30.c2ln",
      "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.e30.c2ln",
      "\u00e9\u00e9.\u00e9.\u00e9"})
  void refusesGarbage(String token) {
    TokenRejected e = rejected(verifier(), token);
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void refusesDuplicateClaims() {
    // a second `sub` that one parser keeps and another drops is a classic impersonation
    String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"alice\",\"sub\":\"admin\","
        + "\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}";
    String token = signRaw(JWSAlgorithm.RS256, RSA, JOSEObjectType.JWT, payload);
    assertThat(rejected(verifier(), token).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void refusesDeeplyNestedClaims() {
    String payload = "{\"sub\":\"alice\",\"deep\":" + "[".repeat(500) + "]".repeat(500) + "}";
    String token = signRaw(JWSAlgorithm.RS256, RSA, JOSEObjectType.JWT, payload);
    TokenRejected e = rejected(verifier(), token);
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("token claim set is not valid JSON");
  }

  // --- roles and attributes

  @Test
  void rolesFromASpaceSeparatedString() throws Exception {
    VerifiedToken t = verifier().verify(rs256(claims(with("roles", "teller  auditor"))));
    assertThat(t.roles()).containsExactlyInAnyOrder("teller", "auditor");
  }

  @Test
  void rolesFromANestedPath() throws Exception {
    JwtVerifier v = verifier(b -> b.rolesClaim("realm_access.roles"));
    VerifiedToken t = v.verify(rs256(claims(with("realm_access", Map.of("roles", List.of("admin", "user"))))));
    assertThat(t.roles()).containsExactlyInAnyOrder("admin", "user");
    assertThat(v.verify(rs256(claims(with("realm_access", "flat")))).roles()).isEmpty();
  }

  @Test
  void rolesFromANamespacedClaimWithDots() throws Exception {
    JwtVerifier v = verifier(b -> b.rolesClaim("https://bank.example.com/roles"));
    VerifiedToken t = v.verify(rs256(claims(with("https://bank.example.com/roles", List.of("manager")))));
    assertThat(t.roles()).containsExactly("manager");
  }

  @Test
  void noRolesClaimMeansNoRoles() throws Exception {
    assertThat(verifier().verify(rs256(claims(without("roles")))).roles()).isEmpty();
  }

  @Test
  void aRolesClaimOfAnotherShapeRefusesTheToken() {
    JwtVerifier v = verifier();
    assertThat(rejected(v, rs256(claims(with("roles", 7)))).reason()).isEqualTo(Reason.MALFORMED);
    assertThat(rejected(v, rs256(claims(with("roles", List.of("a", 1))))).getMessage())
        .isEqualTo("claim `roles` must be a string or an array of strings");
  }

  @Test
  void mapsClaimsToAttributes() throws Exception {
    JwtVerifier v = verifier(b -> b.attributeClaims(Map.of(
        "tenant", "tenant", "org.department", "department", "clearance", "level", "groups", "groups",
        "absent", "nothing")));
    VerifiedToken t = v.verify(rs256(claims(Map.of(
        "tenant", "t1", "org", Map.of("department", "retail"), "clearance", 3, "groups", List.of("g1", "g2")))));
    assertThat(t.attributes()).containsOnlyKeys("tenant", "department", "level", "groups");
    assertThat(t.attributes().get("tenant")).isEqualTo(new Value.Str("t1"));
    assertThat(t.attributes().get("department")).isEqualTo(new Value.Str("retail"));
    assertThat(t.attributes().get("level")).isEqualTo(Value.Num.of(3));
    assertThat(t.attributes().get("groups"))
        .isEqualTo(new Value.SetOf(Set.of(new Value.Str("g1"), new Value.Str("g2"))));
    assertThat(t.principal().attrs()).containsKeys("tenant", "department", "level", "groups", "roles");
  }

  @Test
  void principalTypeIsConfigurable() throws Exception {
    VerifiedToken t = verifier(b -> b.principalType("Service")).verify(rs256());
    assertThat(t.principal().uid()).isEqualTo(new EntityUid("Service", "alice"));
  }

  // --- cache

  @Test
  void aVerifiedTokenIsServedFromTheCache() throws Exception {
    JwtVerifier v = verifier();
    String token = rs256();
    assertThat(v.cached(token)).isEmpty();
    VerifiedToken first = v.verify(token);
    assertThat(v.cached(token)).containsSame(first);
    assertThat(v.verify(token)).isSameAs(first);
    assertThat(v.cachedTokenCount()).isEqualTo(1);
  }

  @Test
  void aCacheHitStillChecksExpiryAgainstTheClock() throws Exception {
    JwtVerifier v = verifier();
    String token = rs256(claims(with("exp", NOW.plusSeconds(30).getEpochSecond())));
    v.verify(token);
    clock.advance(Duration.ofSeconds(80));
    assertThat(v.cached(token)).as("30 s of life plus 60 s of skew: still good").isPresent();
    clock.advance(Duration.ofSeconds(11));
    assertThat(v.cached(token)).isEmpty();
    assertThat(rejected(v, token).reason()).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void theCacheIsBoundedByBytesNotByCount() throws Exception {
    // 200 tokens with 3 KB of roles each: a count bound would keep them all
    JwtVerifier v = verifier(b -> b.cacheMaxBytes(256 * 1024));
    List<String> roles = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      roles.add("role-with-a-long-name-" + "x".repeat(8) + i);
    }
    for (int i = 0; i < 200; i++) {
      Map<String, Object> changes = with("sub", "user-" + i);
      changes.put("roles", roles);
      v.verify(rs256(claims(changes)));
    }
    assertThat(v.cachedTokenBytes()).isLessThanOrEqualTo(256 * 1024).isGreaterThan(128 * 1024);
    assertThat(v.cachedTokenCount()).isLessThan(200);
  }

  @Test
  void refusedTokensAreNotCached() {
    JwtVerifier v = verifier();
    String token = rs256(claims(with("aud", "billing")));
    rejected(v, token);
    assertThat(v.cached(token)).isEmpty();
    assertThat(v.cachedTokenCount()).isZero();
  }

  @Test
  void theCacheIsKeyedByHashNotByToken() {
    assertThat(TokenCache.key("abc")).isEqualTo("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0").hasSize(43);
  }

  // --- JWKS file

  @Test
  void aMissingJwksFileRefusesTokensWithoutCrashing() {
    verifier = JwtVerifier.create(JwtConfig.builder().jwksFile(dir.resolve("nope.json")).issuer(ISSUER)
        .audiences(AUDIENCE).build(), clock);
    JwksStatus status = verifier.warmUp();
    assertThat(status.available()).isFalse();
    assertThat(status.message()).contains("does not exist");
    TokenRejected e = rejected(verifier, rs256());
    assertThat(e.reason()).isEqualTo(Reason.JWKS_UNAVAILABLE);
  }

  @Test
  void reloadPicksUpANewKeyAndKeepsTheOldSetOnAFailedRead() throws Exception {
    JwtVerifier v = verifier();
    String rotated = sign(JWSAlgorithm.RS256, RSA_2, JOSEObjectType.JWT, claims());
    assertThat(rejected(v, rotated).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    String old = rs256();
    v.verify(old);

    Tokens.writeJwks(dir, RSA_2);
    JwksStatus status = v.reload();
    assertThat(status).isEqualTo(new JwksStatus(true, 1, "1 signing key loaded"));
    assertThat(v.verify(rotated).subject()).isEqualTo("alice");
    assertThat(v.cached(old)).as("reload empties the cache").isEmpty();
    assertThat(rejected(v, old).reason()).isEqualTo(Reason.UNKNOWN_KEY);

    Files.writeString(dir.resolve("jwks.json"), "{\"keys\": [");
    assertThat(v.reload().available()).isFalse();
    assertThat(v.verify(rotated).subject()).isEqualTo("alice");
  }

  @Test
  void privateKeysInTheFileAreNeverHeld() throws Exception {
    Path file = dir.resolve("private.json");
    Files.writeString(file, new JWKSet(List.of(RSA, SECRET)).toString(false));
    verifier = JwtVerifier.create(JwtConfig.builder().jwksFile(file).issuer(ISSUER).audiences(AUDIENCE).build(),
        clock);
    assertThat(verifier.warmUp()).isEqualTo(new JwksStatus(true, 1, "1 signing key loaded"));
    assertThat(verifier.verify(rs256()).subject()).isEqualTo("alice");
  }

  @Test
  void anOversizedJwksFileIsRefused() throws Exception {
    Path file = dir.resolve("big.json");
    Files.writeString(file, " ".repeat(60 * 1024) + Tokens.jwks(RSA));
    verifier = JwtVerifier.create(JwtConfig.builder().jwksFile(file).issuer(ISSUER).audiences(AUDIENCE).build(),
        clock);
    assertThat(verifier.warmUp().message()).contains("larger than 51200 bytes");
  }

  @Test
  void verifyLoadsTheFileLazilyWithoutWarmUp() throws Exception {
    Path file = Tokens.writeJwks(dir, RSA);
    verifier = JwtVerifier.create(JwtConfig.builder().jwksFile(file).issuer(ISSUER).audiences(AUDIENCE).build(),
        clock);
    assertThat(verifier.verify(rs256()).subject()).isEqualTo("alice");
  }
}
