package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * The strings that nearly every request repeats (its entities' types, its action's name) read
 * as the same {@link String} each time they come: no string is made for them per request, and
 * their hash, which the engine's look-ups by type and action need, is computed once.
 *
 * <p>A fixed table of {@link #SLOTS} strings of at most {@link #MAX_LENGTH} characters (at most
 * about 80 KB), each slot holding the last string whose hash fell there: a client that sends
 * ever new names only replaces slots, it never grows the table. Shared by every thread without
 * a lock: a slot holds a whole immutable string or another one, and a string read from it is
 * used only when its characters are the ones read.
 */
final class RepeatedText {
  static final int SLOTS = 1024;
  static final int MAX_LENGTH = 32;

  private static final String[] TABLE = new String[SLOTS];

  private RepeatedText() {}

  /** The text of the string value the parser stands on. */
  static String of(JsonParser p) throws IOException {
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    if (length > MAX_LENGTH) {
      return p.getText(); // checked against the bound on strings there
    }
    int hash = 0;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + chars[offset + i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    String known = TABLE[slot];
    if (known != null && same(known, chars, offset, length)) {
      return known;
    }
    String text = new String(chars, offset, length);
    TABLE[slot] = text;
    return text;
  }

  private static boolean same(String known, char[] chars, int offset, int length) {
    if (known.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (known.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
