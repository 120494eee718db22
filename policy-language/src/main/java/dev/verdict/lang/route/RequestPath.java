package dev.verdict.lang.route;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * A raw request target split into path segments, each decoded, or the reason it is refused.
 *
 * <p>The order matters: the path is split on raw {@code /} first and each segment decoded
 * afterwards, so an encoded {@code %2F} can never become a separator; unless the table allows
 * it, a segment holding one is refused outright, since a back end that decodes before routing
 * would read it as two segments. Everything a back end
 * might read differently from us is refused rather than guessed at; only empty segments (from
 * {@code //} or one trailing {@code /}) are normalised away, because every common server
 * ignores them the same way.
 *
 * <p>Segments without percent-encoding are not copied: they are kept as ranges of the raw
 * string with their hash, so matching a literal costs no allocation.
 */
final class RequestPath {

  private static final int[] NO_BOUNDS = new int[0];

  private final String raw;
  /** Per segment: start, end (in {@code raw}) and the hash of its decoded text. */
  private final int[] bounds;
  /** Decoded text of segments that had percent-encoding; null when none had. */
  private final String[] decoded;
  private final String refusal;

  private RequestPath(String raw, int[] bounds, String[] decoded, String refusal) {
    this.raw = raw;
    this.bounds = bounds;
    this.decoded = decoded;
    this.refusal = refusal;
  }

  private static RequestPath refused(String why) {
    return new RequestPath(null, NO_BOUNDS, null, why);
  }

  /** Why the path is refused, or null when it is not. */
  String refusal() {
    return refusal;
  }

  int count() {
    return bounds.length / 3;
  }

  /** The hash of segment {@code i}'s decoded text, equal to that text's {@link String#hashCode}. */
  int hash(int i) {
    return bounds[3 * i + 2];
  }

  /** Whether segment {@code i} decodes to exactly {@code literal}. */
  boolean is(int i, String literal) {
    String d = decoded == null ? null : decoded[i];
    if (d != null) {
      return d.equals(literal);
    }
    int start = bounds[3 * i];
    int length = bounds[3 * i + 1] - start;
    return literal.length() == length && literal.regionMatches(0, raw, start, length);
  }

  /** Segment {@code i}'s decoded text. */
  String text(int i) {
    String d = decoded == null ? null : decoded[i];
    return d != null ? d : raw.substring(bounds[3 * i], bounds[3 * i + 1]);
  }

  /**
   * @param encodedSlashes whether a decoded segment may hold {@code /} (from {@code %2F}); when
   *     not, such a path is refused
   */
  static RequestPath parse(String raw, boolean encodedSlashes) {
    int len = raw.length();
    if (len == 0) {
      return refused("the path is empty");
    }
    if (len > RouteTable.MAX_PATH_LENGTH) {
      return refused("the path is longer than " + RouteTable.MAX_PATH_LENGTH + " characters");
    }
    if (raw.charAt(0) != '/') {
      return refused("the path does not start with `/`");
    }
    int end = len;
    int count = 0;
    for (int i = 1; i < len; i++) {
      char c = raw.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
      if (c != '/' && raw.charAt(i - 1) == '/') {
        count++;
      }
    }
    if (count > RouteTable.MAX_SEGMENTS) {
      return refused("the path has more than " + RouteTable.MAX_SEGMENTS + " segments");
    }
    if (count == 0) {
      return new RequestPath(raw, NO_BOUNDS, null, null);
    }
    int[] bounds = new int[3 * count];
    String[] decoded = null;
    int n = 0;
    int start = 1;
    for (int i = 1; i <= end; i++) {
      if (i < end && raw.charAt(i) != '/') {
        continue;
      }
      if (i > start) {
        int hash = 0;
        boolean encoded = false;
        for (int j = start; j < i; j++) {
          char c = raw.charAt(j);
          if (c == '%') {
            encoded = true;
          } else if (!isPlainChar(c)) {
            return refused(describeRaw(c));
          }
          hash = 31 * hash + c;
        }
        if (encoded) {
          Object segment = decode(raw, start, i, encodedSlashes);
          if (segment instanceof RequestPath refusal) {
            return refusal;
          }
          if (decoded == null) {
            decoded = new String[count];
          }
          decoded[n] = (String) segment;
          hash = decoded[n].hashCode();
        } else if (isDotSegment(raw, start, i)) {
          return refused("the path contains a `" + raw.substring(start, i) + "` segment");
        }
        bounds[3 * n] = start;
        bounds[3 * n + 1] = i;
        bounds[3 * n + 2] = hash;
        n++;
      }
      start = i + 1;
    }
    return new RequestPath(raw, bounds, decoded, null);
  }

  private static boolean isDotSegment(String raw, int start, int end) {
    int length = end - start;
    return (length == 1 && raw.charAt(start) == '.')
        || (length == 2 && raw.charAt(start) == '.' && raw.charAt(start + 1) == '.');
  }

  /** The decoded segment as a String, or a refused RequestPath. */
  private static Object decode(String raw, int start, int end, boolean encodedSlashes) {
    byte[] bytes = new byte[end - start];
    int n = 0;
    boolean ascii = true;
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < end ? hex(raw.charAt(i + 1)) : -1;
        int lo = i + 2 < end ? hex(raw.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          return refused("the path contains malformed percent-encoding");
        }
        byte b = (byte) (hi << 4 | lo);
        ascii &= b >= 0;
        bytes[n++] = b;
        i += 2;
      } else {
        bytes[n++] = (byte) c;
      }
    }
    String s;
    if (ascii) {
      s = new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    } else {
      CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      try {
        CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, n));
        s = chars.toString();
      } catch (CharacterCodingException e) {
        return refused("the path's percent-encoding is not valid UTF-8");
      }
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        return refused("the path contains an encoded control character");
      }
      if (c == '\\') {
        return refused("the path contains an encoded backslash");
      }
    }
    if (hasDotPart(s)) {
      return refused("the path contains an encoded `.` or `..` segment");
    }
    if (!encodedSlashes && s.indexOf('/') >= 0) {
      // A back end that decodes before routing would see more segments than we matched.
      return refused("the path contains an encoded `/` (`%2F`) inside a segment");
    }
    if (!ascii) {
      // Back ends that apply compatibility normalisation would turn a fullwidth solidus or
      // full stop into `/` or `.`; refuse what would become traversal or a separator there.
      String folded = Normalizer.normalize(s, Normalizer.Form.NFKC);
      if (!folded.equals(s) && (count(folded, '/') > count(s, '/')
          || folded.indexOf('\\') >= 0 || hasDotPart(folded))) {
        return refused("the path contains characters that normalise to a separator or a"
            + " dot segment");
      }
    }
    return s;
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  /** True when a decoded segment, read as a path of its own, has a dot segment. */
  private static boolean hasDotPart(String s) {
    int from = 0;
    while (true) {
      int slash = s.indexOf('/', from);
      String part = slash < 0 ? s.substring(from) : s.substring(from, slash);
      if (isDotSegment(part)) {
        return true;
      }
      if (slash < 0) {
        return false;
      }
      from = slash + 1;
    }
  }

  private static boolean isDotSegment(String s) {
    return s.equals(".") || s.equals("..");
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static String describeRaw(char c) {
    if (c == '\\') {
      return "the path contains a backslash";
    }
    if (c == ';') {
      return "the path contains `;` (path parameters are read differently by back ends)";
    }
    if (c < 0x20 || c == 0x7f) {
      return "the path contains a control character";
    }
    if (c == ' ') {
      return "the path contains a space, which must be percent-encoded";
    }
    if (c > 0x7e) {
      return "the path contains a raw non-ASCII character (it must be percent-encoded)";
    }
    return "the path contains `" + c + "`, which must be percent-encoded";
  }

  /**
   * RFC 3986 {@code pchar} minus {@code %} and {@code ;}: the characters a segment may hold
   * unencoded. {@code ;} is excluded because some servers strip {@code ;params} from a segment
   * before routing, so the id we authorize would differ from the one they serve.
   */
  static boolean isPlainChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '-': case '.': case '_': case '~':
      case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
      case '=': case ':': case '@':
        return true;
      default:
        return false;
    }
  }
}
