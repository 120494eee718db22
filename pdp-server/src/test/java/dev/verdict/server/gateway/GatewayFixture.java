package dev.verdict.server.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.verdict.server.TestServer;
import dev.verdict.server.auth.JwtConfig;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.StartupException;
import dev.verdict.server.boot.VerdictServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The banking example set plus one account (a1, alice's, at the Leeds branch), a JWKS file with
 * a key generated for the run, tokens signed with it, and a server with the gateway endpoint.
 */
final class GatewayFixture implements AutoCloseable {
  static final Path BANKING = Path.of("../policies/banking");
  static final String ISSUER = "https://idp.example.com/";
  static final String AUDIENCE = "bank-api";

  static final RSAKey KEY = rsa("gw-1");
  static final RSAKey OTHER_KEY = rsa("gw-2");

  static final String ACCOUNTS = """
      [{"uid": {"type": "Account", "id": "a1"},
        "attrs": {"owner": "alice", "tenant": "bank1", "branch": "b-leeds", "balance": 1200, "frozen": false,
                  "number": "4000123412341234",
                  "holder": {"name": "Alice", "email": "alice@example.com", "ssn": "123-45-6789"}},
        "parents": [{"type": "Branch", "id": "b-leeds"}]}]
      """;

  final Path policies;
  final Path jwks;
  final Path decisionLog;
  final VerdictServer server;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  GatewayFixture(Path tmp) throws IOException, StartupException {
    this(tmp, c -> c);
  }

  GatewayFixture(Path tmp, UnaryOperator<ServerConfig> adjust) throws IOException, StartupException {
    policies = tmp.resolve("banking");
    TestServer.copy(BANKING, policies);
    Files.writeString(policies.resolve("accounts.entities.json"), ACCOUNTS);
    jwks = tmp.resolve("jwks.json");
    writeJwks(KEY);
    decisionLog = tmp.resolve("decisions.log");
    ServerConfig config = adjust.apply(ServerConfig.defaults(policies, 0)
        .withDecisionLog(new ServerConfig.DecisionLogTarget(ServerConfig.DecisionLogTarget.Kind.FILE,
            Optional.of(decisionLog)), 10_000)
        .withReloadInterval(0)
        .withJwt(Optional.of(jwtConfig(jwks)), false));
    server = VerdictServer.start(config, Optional.empty(), new PrintStream(err, true, StandardCharsets.UTF_8),
        o -> o.setBlockedThreadCheckInterval(50).setMaxEventLoopExecuteTime(200_000_000L));
  }

  static JwtConfig jwtConfig(Path jwks) {
    return JwtConfig.builder().jwksFile(jwks).issuer(ISSUER).audiences(AUDIENCE)
        .attributeClaims(Map.of("tenant", "tenant", "branch", "branch", "trust", "trust"))
        .contextClaims(Map.of("mfa", "mfa"))
        .build();
  }

  void writeJwks(RSAKey... keys) throws IOException {
    List<com.nimbusds.jose.jwk.JWK> pub = new java.util.ArrayList<>();
    for (RSAKey k : keys) {
      pub.add(k.toPublicJWK());
    }
    Files.writeString(jwks, new JWKSet(pub).toString());
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
  }

  private static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims of a customer of bank1 with MFA, valid for ten minutes from now. */
  static Map<String, Object> claims(String sub, String... roles) {
    Map<String, Object> c = new LinkedHashMap<>();
    long now = Instant.now().getEpochSecond();
    c.put("iss", ISSUER);
    c.put("aud", AUDIENCE);
    c.put("sub", sub);
    c.put("iat", now);
    c.put("exp", now + 600);
    c.put("roles", List.of(roles));
    c.put("tenant", "bank1");
    c.put("branch", "b-leeds");
    c.put("trust", 90);
    c.put("mfa", true);
    return c;
  }

  static String token(String sub, String... roles) {
    return sign(KEY, claims(sub, roles));
  }

  static String sign(RSAKey key, Map<String, Object> claims) {
    try {
      JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
          .type(JOSEObjectType.JWT).build(), new Payload(JSONObjectUtils.toJSONString(claims)));
      jws.sign(new RSASSASigner(key));
      return jws.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with valid claims. */
  static String unsigned(Map<String, Object> claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(JSONObjectUtils.toJSONString(claims).getBytes(StandardCharsets.UTF_8)) + ".";
  }
}
