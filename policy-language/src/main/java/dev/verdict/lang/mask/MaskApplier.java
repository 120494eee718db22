package dev.verdict.lang.mask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.FieldPath;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies a {@link ReadMask} to a JSON document, returning a masked copy; the input is never
 * changed.
 *
 * <p>Effects, on the value at each path:
 * <ul>
 *   <li>{@code hide} removes the field;
 *   <li>{@code redact} replaces the value, whatever it is (null included), with the string
 *       {@value #REDACTED};
 *   <li>{@code partial(n)} replaces the value with its string form in which all but the last
 *       {@code n} characters (code points) are {@code *}, one {@code *} per character: strings
 *       as they are, numbers as plain decimals without exponent or trailing zeros
 *       ({@code 1234.50} is {@code "1234.5"}, so {@code partial(2)} gives {@code "****.5"}),
 *       booleans as {@code true}/{@code false}, objects and arrays as their canonical JSON
 *       text; null stays null; a value of at most {@code n} characters is kept whole;
 *   <li>{@code hash} replaces the value with {@code "sha256:"} and the lower-case hex of
 *       HMAC-SHA256, under this applier's key, of the value's canonical JSON text (so
 *       {@code "a"} is hashed with its quotes, and {@code 1.0} hashes like {@code 1}).
 * </ul>
 * Objects and arrays under {@code redact}, {@code partial} or {@code hash} are replaced whole.
 *
 * <p>Paths: {@code items[].price} applies to every element of the array {@code items}; a
 * trailing {@code []} ({@code tags[]: redact}) applies the effect to each element (hide
 * empties the array). Where the document has an array where the path expects an object, the
 * rest of the path applies to every element, so a shape the policy did not foresee never lets a
 * field through; likewise a document that is an array (a list response) is masked element by
 * element. A path that does not exist in the document is ignored. Paths apply in text order, so
 * an ancestor's effect comes first and a descendant inside a replaced value is then absent.
 *
 * <p>The hash key must be the same on every node that serves one deployment, or the same value
 * would hash differently depending on which node answered; it should be at least 32 random
 * bytes and kept secret, since without a key a low-entropy value (a card number, an SSN) could
 * be recovered from its digest by trying every candidate.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MaskApplier {

  /** What {@code redact} puts in place of a value. */
  public static final String REDACTED = "[REDACTED]";
  /** The prefix of every {@code hash} digest. */
  public static final String HASH_PREFIX = "sha256:";
  /** The shortest hash key accepted, in bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private static final String HMAC = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final TextNode REDACTED_NODE = TextNode.valueOf(REDACTED);

  private final SecretKeySpec key;
  private final Mac prototype;

  private MaskApplier(SecretKeySpec key, Mac prototype) {
    this.key = key;
    this.prototype = prototype;
  }

  /**
   * An applier whose {@code hash} effect is keyed with {@code hashKey} (copied).
   *
   * @throws IllegalArgumentException when the key is shorter than {@value #MIN_KEY_BYTES} bytes
   */
  public static MaskApplier create(byte[] hashKey) {
    Objects.requireNonNull(hashKey, "hashKey is null");
    if (hashKey.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("a field hash key has at least " + MIN_KEY_BYTES
          + " bytes, not " + hashKey.length);
    }
    SecretKeySpec key = new SecretKeySpec(hashKey.clone(), HMAC);
    return new MaskApplier(key, newMac(key));
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA256, so this is a broken runtime, not bad input.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** The masked copy of {@code document}; an empty mask gives an unmasked copy. */
  public JsonNode apply(ReadMask mask, JsonNode document) {
    Objects.requireNonNull(mask, "mask is null");
    Objects.requireNonNull(document, "document is null");
    JsonNode copy = document.deepCopy();
    List<FieldPath> paths = mask.paths();
    int i = 0;
    for (FieldEffect effect : mask.effects().values()) {
      List<FieldPath.Segment> segments = paths.get(i++).segments();
      visit(copy, segments, 0, effect);
    }
    return copy;
  }

  /** {@code node} holds the value of the path's first {@code i} segments. */
  private void visit(JsonNode node, List<FieldPath.Segment> segments, int i, FieldEffect effect) {
    if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        visit(element, segments, i, effect);
      }
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    FieldPath.Segment segment = segments.get(i);
    JsonNode child = object.get(segment.name());
    if (child == null) {
      return;
    }
    boolean last = i == segments.size() - 1;
    if (!last) {
      visit(child, segments, i + 1, effect);
    } else if (segment.list() && child instanceof ArrayNode array) {
      if (effect.kind() == FieldEffect.Kind.HIDE) {
        array.removeAll();
      } else {
        for (int j = 0; j < array.size(); j++) {
          array.set(j, replacement(array.get(j), effect));
        }
      }
    } else if (effect.kind() == FieldEffect.Kind.HIDE) {
      object.remove(segment.name());
    } else {
      object.set(segment.name(), replacement(child, effect));
    }
  }

  private JsonNode replacement(JsonNode value, FieldEffect effect) {
    switch (effect.kind()) {
      case REDACT:
        return REDACTED_NODE;
      case PARTIAL:
        return value.isNull() ? value : TextNode.valueOf(partial(stringForm(value), effect.keep()));
      case HASH:
        return TextNode.valueOf(hash(value));
      default:
        throw new IllegalStateException("not a replacing effect: " + effect.kind());
    }
  }

  private static String stringForm(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber()) {
      return CanonicalJson.number(value);
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    return CanonicalJson.write(value);
  }

  static String partial(String s, int keep) {
    int length = s.codePointCount(0, s.length());
    if (length <= keep) {
      return s;
    }
    int cut = s.offsetByCodePoints(0, length - keep);
    return "*".repeat(length - keep) + s.substring(cut);
  }

  /** {@code sha256:} and the hex HMAC of the value's canonical JSON text. */
  String hash(JsonNode value) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      mac = newMac(key);
    }
    byte[] digest = mac.doFinal(CanonicalJson.write(value).getBytes(StandardCharsets.UTF_8));
    char[] out = new char[HASH_PREFIX.length() + digest.length * 2];
    HASH_PREFIX.getChars(0, HASH_PREFIX.length(), out, 0);
    int o = HASH_PREFIX.length();
    for (byte b : digest) {
      out[o++] = HEX[(b >> 4) & 0xf];
      out[o++] = HEX[b & 0xf];
    }
    return new String(out);
  }
}
