package dev.verdict.server.auth;

import static dev.verdict.server.auth.TokenRejected.Reason.MALFORMED;
import static dev.verdict.server.auth.TokenRejected.Reason.MISSING;
import static dev.verdict.server.auth.TokenRejected.Reason.UNSUPPORTED_ALGORITHM;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;

/**
 * A compact JWS split and decoded, with every structural check done before any key is looked
 * up: size limits, base64url alphabet, JSON objects without duplicate members or deep nesting
 * (a duplicate {@code sub} could be read one way here and another elsewhere), and no
 * {@code alg: none}.
 */
final class CompactJws {
  /** Longest token accepted, in characters. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;
  /** Longest encoded header accepted: real headers are a few hundred bytes. */
  static final int MAX_HEADER_LENGTH = 4 * 1024;
  private static final int MAX_JSON_DEPTH = 16;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_JSON_DEPTH)
          .maxStringLength(MAX_TOKEN_LENGTH)
          .maxNumberLength(64)
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  final JWSHeader header;
  final JsonNode claims;
  final byte[] signingInput;
  final Base64URL signature;

  private CompactJws(JWSHeader header, JsonNode claims, byte[] signingInput, Base64URL signature) {
    this.header = header;
    this.claims = claims;
    this.signingInput = signingInput;
    this.signature = signature;
  }

  static CompactJws parse(String token) throws TokenRejected {
    if (token == null || token.isBlank()) {
      throw new TokenRejected(MISSING, "no bearer token");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new TokenRejected(MALFORMED, "token is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      throw new TokenRejected(MALFORMED, "token is not a signed JWT of three dot-separated parts");
    }
    String headerPart = token.substring(0, dot1);
    String payloadPart = token.substring(dot1 + 1, dot2);
    String signaturePart = token.substring(dot2 + 1);
    if (headerPart.length() > MAX_HEADER_LENGTH) {
      throw new TokenRejected(MALFORMED, "token header is longer than " + MAX_HEADER_LENGTH + " characters");
    }
    JsonNode headerJson = json(decode(headerPart, "header"), "token header");
    JsonNode alg = headerJson.get("alg");
    if (alg == null || !alg.isTextual() || alg.textValue().isEmpty()) {
      throw new TokenRejected(MALFORMED, "token header has no `alg`");
    }
    if (alg.textValue().equalsIgnoreCase("none")) {
      throw new TokenRejected(UNSUPPORTED_ALGORITHM, "unsigned tokens (`alg` none) are refused");
    }
    if (headerJson.has("enc")) {
      throw new TokenRejected(MALFORMED, "encrypted tokens are not supported");
    }
    JWSHeader header;
    try {
      header = JWSHeader.parse(new Base64URL(headerPart));
    } catch (ParseException | RuntimeException e) {
      throw new TokenRejected(MALFORMED, "token header is not a valid JWS header");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw new TokenRejected(MALFORMED, "token header marks parameters as critical, which is not supported");
    }
    JsonNode claims = json(decode(payloadPart, "claims"), "token claim set");
    if (signaturePart.isEmpty()) {
      throw new TokenRejected(MALFORMED, "token has no signature");
    }
    decode(signaturePart, "signature");
    byte[] signingInput = token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
    return new CompactJws(header, claims, signingInput, new Base64URL(signaturePart));
  }

  private static byte[] decode(String part, String what) throws TokenRejected {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        throw new TokenRejected(MALFORMED, "token " + what + " is not base64url");
      }
    }
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenRejected(MALFORMED, "token " + what + " is not base64url");
    }
  }

  private static JsonNode json(byte[] bytes, String what) throws TokenRejected {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException | RuntimeException e) {
      throw new TokenRejected(MALFORMED, what + " is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new TokenRejected(MALFORMED, what + " is not a JSON object");
    }
    return node;
  }
}
