import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * For the gateway benchmark only: makes an RSA key pair for this run, writes its public JWKS to
 * {@code DIR/jwks.json} and prints a token valid for a day (sub alice, role customer, tenant t1).
 * Nothing is kept: the key lives in this process and the JWKS in the run's temporary directory.
 * Run with the server jar on the class path: {@code java -cp verdict.jar GatewayToken.java DIR}.
 */
public class GatewayToken {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    RSAKey key = new RSAKeyGenerator(2048).keyID("bench-" + Instant.now().getEpochSecond()).generate();
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
    long now = Instant.now().getEpochSecond();
    String claims = "{\"iss\":\"https://bench.verdict.invalid/\",\"aud\":\"verdict-bench\",\"sub\":\"alice\","
        + "\"iat\":" + now + ",\"exp\":" + (now + 86_400) + ",\"roles\":[\"customer\"],\"tenant\":\"t1\"}";
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), new Payload(claims));
    jws.sign(new RSASSASigner(key));
    System.out.println(jws.serialize());
  }
}
