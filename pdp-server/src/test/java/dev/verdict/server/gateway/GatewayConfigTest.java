package dev.verdict.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.server.auth.JwtConfig;
import dev.verdict.server.boot.ConfigException;
import dev.verdict.server.boot.ConfigLoader;
import dev.verdict.server.boot.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code jwt:} and {@code gateway:} sections and their flags. */
class GatewayConfigTest {
  @TempDir
  Path tmp;

  private Path jwks() throws Exception {
    Path p = tmp.resolve("jwks.json");
    Files.writeString(p, "{\"keys\": []}");
    return p;
  }

  @Test
  void theJwtSectionIsReadWithTheFileSpelling() throws Exception {
    Path file = tmp.resolve("verdict.yaml");
    Files.writeString(file, """
        jwt:
          jwks-file: %s
          issuer: https://idp.example.com/
          audiences: [bank-api, other]
          max-clock-skew: 30s
          roles-claim: realm_access.roles
          attribute-claims: {tenant: tenant}
          context-claims: {mfa: mfa}
          cache-max-ttl: 2m
        gateway:
          trust-forwarded-for: true
        """.formatted(jwks()));

    ServerConfig c = ConfigLoader.load(Map.of(), Map.of(), Optional.of(file));

    JwtConfig jwt = c.jwt().orElseThrow();
    assertThat(jwt.audiences()).containsExactlyInAnyOrder("bank-api", "other");
    assertThat(jwt.maxClockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(jwt.rolesClaim()).isEqualTo("realm_access.roles");
    assertThat(jwt.contextClaims()).containsEntry("mfa", "mfa");
    assertThat(jwt.cacheMaxTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.trustForwardedFor()).isTrue();
  }

  @Test
  void flagsAndTheEnvironmentSetTheCommonKeys() throws Exception {
    ServerConfig c = ConfigLoader.load(Map.of("jwks-file", jwks().toString(), "jwt-issuer", "https://idp/"),
        Map.of("VERDICT_JWT_AUDIENCE", "a, b"), Optional.empty());

    assertThat(c.jwt().orElseThrow().audiences()).containsExactlyInAnyOrder("a", "b");
    assertThat(c.jwt().get().issuer()).isEqualTo("https://idp/");
    assertThat(c.trustForwardedFor()).isFalse();
    assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.empty()).jwt()).isEmpty();
  }

  @Test
  void badSettingsAreRefusedNamingTheKey() throws Exception {
    Path file = tmp.resolve("verdict.yaml");
    Files.writeString(file, "jwt:\n  jwks-file: " + jwks() + "\n  issuer: https://idp/\n  audiences: [x]\n"
        + "  max-clock-skew: 10m\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(file)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("`jwt.max-clock-skew` must be at most 300s");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("jwks-file", jwks().toString()), Map.of(), Optional.empty()))
        .hasMessageStartingWith("`jwt.issuer` must be set");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("jwks-file", "nope.json", "jwt-issuer", "i",
        "jwt-audience", "a"), Map.of(), Optional.empty()))
        .hasMessage("`jwks-file` names `nope.json`, which does not exist (from flag --jwks-file)");
    Files.writeString(file, "jwt:\n  jwks-file: " + jwks() + "\n  max-clock-skew: soon\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(file)))
        .hasMessageContaining("`jwt.max-clock-skew` must be a duration");
    Files.writeString(file, "jwt:\n  jwks-fil: x\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(file)))
        .hasMessageContaining("unknown key `jwt.jwks-fil`");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("trust-forwarded-for", "yes"), Map.of(), Optional.empty()))
        .hasMessageContaining("`trust-forwarded-for` must be `true` or `false`");
  }

  @Test
  void aContextClaimMayNotSetWhatTheServerSets() {
    assertThatThrownBy(() -> JwtConfig.builder().jwksFile(tmp.resolve("k")).issuer("i").audiences("a")
        .contextClaims(Map.of("client_ip", "ip")).build())
        .hasMessageContaining("must not map to reserved context attribute `ip`");
  }
}
