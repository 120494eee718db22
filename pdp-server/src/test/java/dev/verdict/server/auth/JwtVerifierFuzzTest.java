package dev.verdict.server.auth;

import static dev.verdict.server.auth.Tokens.AUDIENCE;
import static dev.verdict.server.auth.Tokens.ISSUER;
import static dev.verdict.server.auth.Tokens.NOW;
import static dev.verdict.server.auth.Tokens.RSA;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of a valid token: the verifier answers every one with a principal or a
 * {@link TokenRejected}, never another exception, and no mutation yields another subject.
 */
class JwtVerifierFuzzTest {
  private static final long SEED = 20261122L;
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"\u00e9";

  @TempDir
  Path dir;

  @Test
  void mutatedTokensAreRefusedOrStillAlice() {
    JwtConfig config = JwtConfig.builder().jwksFile(Tokens.writeJwks(dir, RSA)).issuer(ISSUER).audiences(AUDIENCE)
        .build();
    Random random = new Random(SEED);
    String valid = Tokens.rs256();
    int refused = 0;
    try (JwtVerifier verifier = JwtVerifier.create(config, Clock.fixed(NOW, ZoneOffset.UTC))) {
      for (int i = 0; i < 3000; i++) {
        String token = mutate(valid, random);
        try {
          assertThat(verifier.verify(token).subject()).as("mutation %d", i).isEqualTo("alice");
        } catch (TokenRejected e) {
          refused++;
          assertThat(e.reason()).isNotNull();
          assertThat(e.getMessage()).isNotBlank();
        }
      }
    }
    assertThat(refused).as("almost every mutation is refused").isGreaterThan(2800);
  }

  private static String mutate(String token, Random random) {
    StringBuilder s = new StringBuilder(token);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && s.length() > 0; e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(5)) {
        case 0:
          s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          break;
        case 1:
          s.deleteCharAt(at);
          break;
        case 2:
          s.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          break;
        case 3:
          s.setLength(at);
          break;
        default:
          s.insert(at, s.substring(random.nextInt(s.length())));
          break;
      }
    }
    return s.toString();
  }
}
