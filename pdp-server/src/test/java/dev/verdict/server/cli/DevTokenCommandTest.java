package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.eval.Value;
import dev.verdict.server.auth.JwtConfig;
import dev.verdict.server.auth.JwtVerifier;
import dev.verdict.server.auth.VerifiedToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevTokenCommandTest {
  @Test
  void printsATokenTheServersVerifierAcceptsWithTheKeysItGenerated(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("dev");
    var r = TestAndEvalCommandTest.run("dev-token", "--dir", keys.toString(), "--subject", "alice",
        "--role", "customer", "--claim", "tenant=bank1", "--claim", "trust=90", "--claim", "mfa=true");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("signing-key.json"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(keys.resolve("jwks.json"))).doesNotContain("\"d\"");

    try (JwtVerifier verifier = JwtVerifier.create(JwtConfig.builder().jwksFile(keys.resolve("jwks.json"))
        .issuer(DevTokenCommand.ISSUER).audiences(DevTokenCommand.AUDIENCE)
        .attributeClaims(Map.of("tenant", "tenant", "trust", "trust"))
        .contextClaims(Map.of("mfa", "mfa")).build())) {
      assertThat(verifier.warmUp().available()).isTrue();
      VerifiedToken t = verifier.verify(r.out().trim());
      assertThat(t.subject()).isEqualTo("alice");
      assertThat(t.roles()).containsExactly("customer");
      assertThat(t.attributes()).containsEntry("tenant", new Value.Str("bank1"));
      assertThat(t.attributes()).containsEntry("trust", Value.Num.of(90));
    }

    // A second token is signed with the same key.
    var again = TestAndEvalCommandTest.run("dev-token", "--dir", keys.toString(), "--subject", "bob");
    assertThat(again.code()).isZero();
    assertThat(Files.list(keys).count()).isEqualTo(2);
  }

  @Test
  void refusesBadClaimsAndLifetimes(@TempDir Path dir) {
    var bad = TestAndEvalCommandTest.run("dev-token", "--dir", dir.toString(), "--subject", "a", "--claim", "oops");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("must be NAME=VALUE");
    var ttl = TestAndEvalCommandTest.run("dev-token", "--dir", dir.toString(), "--subject", "a", "--ttl", "30d");
    assertThat(ttl.code()).isEqualTo(2);
    assertThat(ttl.err()).contains("from 1s to 24h");
  }
}
