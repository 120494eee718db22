package dev.verdict.server.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verdict dev-token}: a signed JWT for trying the gateway endpoint on a laptop. On
 * first use it generates an ES256 key pair in {@code .verdict-dev/} (the private key readable
 * by the owner only, the public JWKS beside it for {@code verdict serve --jwks-file}). For
 * development only: production tokens come from the organisation's identity provider.
 */
@Command(name = "dev-token", description = "Print a signed JWT for local testing (development keys in .verdict-dev/).")
final class DevTokenCommand implements Callable<Integer> {
  static final String ISSUER = "verdict-dev";
  static final String AUDIENCE = "verdict";

  @Option(names = "--subject", required = true, paramLabel = "SUB", description = "The `sub` claim: the principal's id.")
  String subject;

  @Option(names = "--role", paramLabel = "ROLE", description = "A role for the `roles` claim; repeatable.")
  List<String> roles = new ArrayList<>();

  @Option(names = "--claim", paramLabel = "NAME=VALUE",
      description = "Another claim; true/false and numbers are typed, the rest are strings. Repeatable.")
  List<String> claims = new ArrayList<>();

  @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION", description = "Lifetime, e.g. 15m or 1h (at most 24h).")
  String ttl;

  @Option(names = "--dir", defaultValue = ".verdict-dev", paramLabel = "DIR", description = "Where the development keys live.")
  Path dir;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, JOSEException, ParseException {
    Duration life = dev.verdict.lang.syntax.Literals.duration(ttl);
    if (life == null || life.isNegative() || life.isZero() || life.compareTo(Duration.ofHours(24)) > 0) {
      spec.commandLine().getErr().println("error: `--ttl " + ttl + "` must be a duration from 1s to 24h, e.g. 1h");
      return VerdictCommand.USAGE;
    }
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .subject(subject).issuer(ISSUER).audience(AUDIENCE).jwtID(UUID.randomUUID().toString())
        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(life)));
    if (!roles.isEmpty()) {
      b.claim("roles", roles);
    }
    for (String c : claims) {
      int eq = c.indexOf('=');
      if (eq <= 0) {
        spec.commandLine().getErr().println("error: `--claim " + c + "` must be NAME=VALUE, e.g. tenant=bank1");
        return VerdictCommand.USAGE;
      }
      b.claim(c.substring(0, eq), typed(c.substring(eq + 1)));
    }
    ECKey key = key();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), b.build());
    jwt.sign(new ECDSASigner(key));
    spec.commandLine().getOut().println(jwt.serialize());
    spec.commandLine().getErr().println("verdict: development token for `" + subject + "`, valid " + ttl
        + "; serve with --jwks-file " + dir.resolve("jwks.json") + " --jwt-issuer " + ISSUER + " --jwt-audience " + AUDIENCE);
    return VerdictCommand.OK;
  }

  private static Object typed(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.valueOf(v);
    }
    if (v.matches("-?\\d{1,15}")) {
      return Long.valueOf(v);
    }
    return v;
  }

  /** The development key, generated once; the public half is written as a JWKS file. */
  private ECKey key() throws IOException, JOSEException, ParseException {
    Path priv = dir.resolve("signing-key.json");
    if (Files.exists(priv)) {
      return ECKey.parse(Files.readString(priv, StandardCharsets.UTF_8));
    }
    Files.createDirectories(dir);
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("dev-" + UUID.randomUUID().toString().substring(0, 8)).generate();
    Path tmp = Files.createTempFile(dir, "key", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own protection applies
    }
    Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
    Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString(), StandardCharsets.UTF_8);
    return key;
  }
}
