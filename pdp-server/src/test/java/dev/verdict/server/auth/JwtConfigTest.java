package dev.verdict.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JwtConfigTest {
  private static JwtConfig.Builder valid() {
    return JwtConfig.builder().jwksFile(Path.of("jwks.json")).issuer("https://idp.example.com/").audiences("verdict");
  }

  private static void refused(UnaryOperator<JwtConfig.Builder> tweak, String message) {
    assertThatThrownBy(() -> tweak.apply(valid()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jwt: " + message);
  }

  @Test
  void defaults() {
    JwtConfig c = valid().build();
    assertThat(c.algorithms()).containsExactlyInAnyOrder("RS256", "PS256", "ES256");
    assertThat(c.maxClockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.acceptedTypes()).containsExactlyInAnyOrder("JWT", "at+jwt");
    assertThat(c.typeRequired()).isFalse();
    assertThat(c.requireIssuedAt()).isFalse();
    assertThat(c.rolesClaim()).isEqualTo("roles");
    assertThat(c.principalType()).isEqualTo("User");
    assertThat(c.cacheMaxTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.cacheMaxBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(c.jwksMaxBytes()).isEqualTo(50 * 1024);
    assertThat(c.hmac()).isFalse();
  }

  @Test
  void exactlyOneKeySource() {
    refused(b -> b.jwksFile(null), "exactly one of `jwksFile` and `jwksUrl` must be set");
    refused(b -> b.jwksUrl(URI.create("https://idp.example.com/jwks")),
        "exactly one of `jwksFile` and `jwksUrl` must be set");
  }

  @Test
  void issuerAndAudienceAreRequired() {
    refused(b -> b.issuer(" "), "`issuer` must be set to the exact `iss` of trusted tokens");
    refused(b -> b.audiences(Set.of()), "`audiences` must name at least one audience");
  }

  @Test
  void noneIsNeverAllowed() {
    refused(b -> b.algorithms("RS256", "none"),
        "`algorithms` must not contain `none`: unsigned tokens are always refused");
  }

  @Test
  void hmacNeverMixesWithPublicKeyAlgorithms() {
    refused(b -> b.algorithms("RS256", "HS256"), "`algorithms` must not mix HMAC (HS*) with public-key algorithms");
    assertThat(valid().algorithms("HS256", "HS512").build().hmac()).isTrue();
  }

  @Test
  void hmacSecretsAreNeverFetchedFromAUrl() {
    refused(b -> b.jwksFile(null).jwksUrl(URI.create("https://idp.example.com/jwks")).algorithms("HS256"),
        "HMAC algorithms need their shared secrets in `jwksFile`; secrets are never fetched from a URL");
  }

  @Test
  void unknownAlgorithmsAreNamed() {
    assertThatThrownBy(() -> valid().algorithms("EdDSA").build())
        .hasMessageStartingWith("jwt: `algorithms` contains unsupported `EdDSA`");
  }

  @Test
  void skewIsBoundedToFiveMinutes() {
    assertThat(valid().maxClockSkew(Duration.ofSeconds(300)).build().maxClockSkew()).hasSeconds(300);
    refused(b -> b.maxClockSkew(Duration.ofSeconds(301)), "`maxClockSkew` must be at most 300s, got `301s`");
    refused(b -> b.maxClockSkew(Duration.ofSeconds(-1)), "`maxClockSkew` must not be negative, got `PT-1S`");
  }

  @Test
  void plainHttpOnlyOnLoopbackOrWhenAllowed() {
    UnaryOperator<JwtConfig.Builder> remote = b -> b.jwksFile(null).jwksUrl(URI.create("http://idp.internal/jwks"));
    refused(remote, "`jwksUrl` must use https unless the host is loopback or `jwksAllowHttp` is set, got "
        + "`http://idp.internal/jwks`");
    assertThat(remote.apply(valid()).jwksAllowHttp(true).build().jwksUrl()).hasHost("idp.internal");
    assertThat(valid().jwksFile(null).jwksUrl(URI.create("http://127.0.0.1:8080/jwks")).build()).isNotNull();
    refused(b -> b.jwksFile(null).jwksUrl(URI.create("ftp://idp.example.com/jwks")),
        "`jwksUrl` must be an absolute http(s) URL, got `ftp://idp.example.com/jwks`");
    refused(b -> b.jwksFile(null).jwksUrl(URI.create("https://user:pw@idp.example.com/jwks")),
        "`jwksUrl` must not carry credentials");
  }

  @Test
  void fetchLimitsAreBounded() {
    refused(b -> b.jwksReadTimeout(Duration.ofSeconds(11)),
        "`jwksConnectTimeout` and `jwksReadTimeout` must be at most 10s each");
    refused(b -> b.jwksMaxBytes(10 * 1024 * 1024), "`jwksMaxBytes` must be between 1024 and 1048576, got `10485760`");
    refused(b -> b.jwksRateLimit(Duration.ofMinutes(10)), "`jwksRateLimit` must be shorter than `jwksCacheTtl`");
    refused(b -> b.jwksOutageTolerance(Duration.ofMinutes(1)),
        "`jwksOutageTolerance` must be longer than `jwksCacheTtl`");
  }

  @Test
  void claimMappingIsChecked() {
    refused(b -> b.rolesClaim("realm_access..roles"),
        "`rolesClaim` must be a claim name or a dotted path such as `realm_access.roles`, got `realm_access..roles`");
    refused(b -> b.attributeClaims(Map.of("groups", "roles")),
        "`attributeClaims` must not map to reserved attribute `roles`");
    refused(b -> b.attributeClaims(Map.of("tenant", "ten-ant")),
        "`attributeClaims` maps `tenant` to `ten-ant`, which is not an attribute name");
    refused(b -> b.principalType("user type"),
        "`principalType` must be an entity type name such as `User`, got `user type`");
  }

  @Test
  void repeatedAndEmptyValuesInLists() {
    assertThat(valid().audiences("verdict", "verdict").build().audiences()).containsExactly("verdict");
    refused(b -> b.audiences("verdict", ""), "`audiences` must not contain an empty value");
    refused(b -> b.audiences("verdict", null), "`audiences` must not contain an empty value");
  }

  @Test
  void typeRequiredNeedsAType() {
    refused(b -> b.acceptedTypes(Set.of()).typeRequired(true), "`typeRequired` needs at least one accepted type");
  }
}
