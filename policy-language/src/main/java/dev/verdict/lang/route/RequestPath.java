package dev.verdict.lang.route;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Splits a raw request target into decoded path segments, or says why it is refused.
 *
 * <p>The order matters: the path is split on raw {@code /} first and each segment decoded
 * afterwards, so an encoded {@code %2F} can never become a separator. Everything a back end
 * might read differently from us is refused rather than guessed at; only empty segments (from
 * {@code //} or one trailing {@code /}) are normalised away, because every common server
 * ignores them the same way.
 */
final class RequestPath {

  private static final String[] NO_SEGMENTS = new String[0];

  /** Either {@code segments} (decoded) or {@code refusal} (a message) is set. */
  record Split(String[] segments, String refusal) {
    static Split refused(String why) {
      return new Split(null, why);
    }
  }

  private RequestPath() {}

  static Split split(String raw) {
    int len = raw.length();
    if (len == 0) {
      return Split.refused("the path is empty");
    }
    if (len > RouteTable.MAX_PATH_LENGTH) {
      return Split.refused("the path is longer than " + RouteTable.MAX_PATH_LENGTH + " characters");
    }
    if (raw.charAt(0) != '/') {
      return Split.refused("the path does not start with `/`");
    }
    int end = len;
    for (int i = 0; i < len; i++) {
      char c = raw.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    int count = 0;
    for (int i = 1; i < end; i++) {
      if (raw.charAt(i) != '/' && (raw.charAt(i - 1) == '/')) {
        count++;
      }
    }
    if (count == 0) {
      return new Split(NO_SEGMENTS, null);
    }
    if (count > RouteTable.MAX_SEGMENTS) {
      return Split.refused("the path has more than " + RouteTable.MAX_SEGMENTS + " segments");
    }
    String[] segments = new String[count];
    int n = 0;
    int start = 1;
    for (int i = 1; i <= end; i++) {
      if (i == end || raw.charAt(i) == '/') {
        if (i > start) {
          Object segment = segment(raw, start, i);
          if (segment instanceof Split refusal) {
            return refusal;
          }
          segments[n++] = (String) segment;
        }
        start = i + 1;
      }
    }
    return new Split(segments, null);
  }

  /** The decoded segment as a String, or a refused Split. */
  private static Object segment(String raw, int start, int end) {
    boolean encoded = false;
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        encoded = true;
      } else if (!isPlainChar(c)) {
        return Split.refused(describeRaw(c));
      }
    }
    if (!encoded) {
      String s = raw.substring(start, end);
      if (isDotSegment(s)) {
        return Split.refused("the path contains a `" + s + "` segment");
      }
      return s;
    }
    return decode(raw, start, end);
  }

  private static Object decode(String raw, int start, int end) {
    byte[] bytes = new byte[end - start];
    int n = 0;
    boolean ascii = true;
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < end ? hex(raw.charAt(i + 1)) : -1;
        int lo = i + 2 < end ? hex(raw.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          return Split.refused("the path contains malformed percent-encoding");
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
        return Split.refused("the path's percent-encoding is not valid UTF-8");
      }
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        return Split.refused("the path contains an encoded control character");
      }
      if (c == '\\') {
        return Split.refused("the path contains an encoded backslash");
      }
    }
    if (hasDotPart(s)) {
      return Split.refused("the path contains an encoded `.` or `..` segment");
    }
    if (!ascii) {
      // Back ends that apply compatibility normalisation would turn a fullwidth solidus or
      // full stop into `/` or `.`; refuse what would become traversal or a separator there.
      String folded = Normalizer.normalize(s, Normalizer.Form.NFKC);
      if (!folded.equals(s) && (folded.indexOf('/') >= 0 || folded.indexOf('\\') >= 0
          || hasDotPart(folded))) {
        return Split.refused("the path contains characters that normalise to a separator or a"
            + " dot segment");
      }
    }
    return s;
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
