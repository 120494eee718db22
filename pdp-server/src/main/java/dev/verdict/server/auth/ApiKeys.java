package dev.verdict.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API keys are configured as {@code sha256:<64 hex digits>} of the key, never the key itself,
 * so a leaked configuration file does not leak credentials. Keys are long random strings, so
 * an unsalted hash is enough: there is no dictionary to guess from.
 */
public final class ApiKeys {
  public static final String PREFIX = "sha256:";
  /** Keys shorter than this are refused by {@code verdict hash-key}: they could be guessed. */
  public static final int MIN_KEY_LENGTH = 16;
  /** Presented keys longer than this are not hashed at all. */
  public static final int MAX_KEY_LENGTH = 512;

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });

  private ApiKeys() {}

  public static byte[] digest(String key) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The configuration form of a key: {@code sha256:<hex>}. */
  public static String hash(String key) {
    return PREFIX + HexFormat.of().formatHex(digest(key));
  }

  /** The digest in a configured {@code sha256:<hex>}, if the text is one. */
  public static Optional<byte[]> parseHash(String text) {
    if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(HexFormat.of().parseHex(text.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
