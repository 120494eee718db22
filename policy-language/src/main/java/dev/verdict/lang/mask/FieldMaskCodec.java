package dev.verdict.lang.mask;

import dev.verdict.lang.ast.FieldEffect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The compact text form of masks that a gateway receives in {@code X-Verdict-Field-Mask}:
 * {@code balance=redact;holder.ssn=hide;number=partial(4)}, and for write masks
 * {@code balance=deny;owner=deny}.
 *
 * <p>Entries are {@code path=effect}, joined by {@code ;}, in path order, so one mask always
 * has one text. Paths are identifiers joined by {@code .}, each optionally followed by
 * {@code []}, so they never contain {@code ;} or {@code =} and need no escaping; anything else
 * is refused. The empty text is the empty mask. Decoding is strict (no spaces inside, no
 * repeated path, no empty entry; only surrounding spaces are trimmed, as HTTP allows) and
 * bounded: at most {@value #MAX_LENGTH} characters and {@value #MAX_ENTRIES} entries.
 */
public final class FieldMaskCodec {

  /** The longest text {@code decode} accepts. */
  public static final int MAX_LENGTH = 8_192;
  /** The most entries {@code decode} accepts. */
  public static final int MAX_ENTRIES = 256;

  private FieldMaskCodec() {}

  /** The text of a read mask. */
  public static String encode(ReadMask mask) {
    Objects.requireNonNull(mask, "mask is null");
    StringBuilder b = new StringBuilder();
    mask.effects().forEach((path, effect) -> {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(path).append('=').append(effect.text());
    });
    return b.toString();
  }

  /** The text of a write mask. */
  public static String encode(WriteMask mask) {
    Objects.requireNonNull(mask, "mask is null");
    StringBuilder b = new StringBuilder();
    for (String path : mask.denied()) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(path).append("=deny");
    }
    return b.toString();
  }

  /**
   * The read mask a text encodes.
   *
   * @throws IllegalArgumentException with a lower-case message when the text is malformed, too
   *     long, or holds a {@code deny}
   */
  public static ReadMask decodeRead(String text) {
    Map<String, FieldEffect> entries = entries(text);
    for (FieldEffect effect : entries.values()) {
      if (!effect.kind().isRead()) {
        throw new IllegalArgumentException("a read mask holds no `deny`");
      }
    }
    return ReadMask.of(entries);
  }

  /**
   * The write mask a text encodes.
   *
   * @throws IllegalArgumentException with a lower-case message when the text is malformed, too
   *     long, or holds an effect other than {@code deny}
   */
  public static WriteMask decodeWrite(String text) {
    Map<String, FieldEffect> entries = entries(text);
    for (FieldEffect effect : entries.values()) {
      if (effect.kind() != FieldEffect.Kind.DENY) {
        throw new IllegalArgumentException("a write mask holds only `deny`, not `" + effect.text() + "`");
      }
    }
    return WriteMask.of(entries.keySet());
  }

  private static Map<String, FieldEffect> entries(String text) {
    Objects.requireNonNull(text, "text is null");
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a field mask is at most " + MAX_LENGTH + " characters");
    }
    String trimmed = text.strip();
    Map<String, FieldEffect> entries = new LinkedHashMap<>();
    if (trimmed.isEmpty()) {
      return entries;
    }
    List<String> parts = split(trimmed);
    if (parts.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("a field mask has at most " + MAX_ENTRIES + " entries");
    }
    for (String part : parts) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("field mask entry `" + shorten(part) + "` has no `=`");
      }
      // A valid path has exactly one spelling, so text equality is path equality; the mask
      // parses and checks the path itself.
      String path = part.substring(0, eq);
      FieldEffect effect = effect(part.substring(eq + 1));
      if (entries.put(path, effect) != null) {
        throw new IllegalArgumentException("field `" + path + "` appears twice in the field mask");
      }
    }
    return entries;
  }

  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (true) {
      int semi = text.indexOf(';', start);
      String part = semi < 0 ? text.substring(start) : text.substring(start, semi);
      if (part.isEmpty()) {
        throw new IllegalArgumentException("a field mask has an empty entry");
      }
      parts.add(part);
      if (parts.size() > MAX_ENTRIES) {
        return parts;
      }
      if (semi < 0) {
        return parts;
      }
      start = semi + 1;
    }
  }

  /**
   * A field effect in its text form ({@code hide}, {@code redact}, {@code hash},
   * {@code partial(4)}, {@code deny}), as masks travel in headers and answers.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static FieldEffect effect(String text) {
    switch (text) {
      case "hide":
        return FieldEffect.of(FieldEffect.Kind.HIDE);
      case "redact":
        return FieldEffect.of(FieldEffect.Kind.REDACT);
      case "hash":
        return FieldEffect.of(FieldEffect.Kind.HASH);
      case "deny":
        return FieldEffect.of(FieldEffect.Kind.DENY);
      default:
        break;
    }
    if (text.startsWith("partial(") && text.endsWith(")")) {
      String digits = text.substring("partial(".length(), text.length() - 1);
      if (!digits.isEmpty() && digits.length() <= 7 && allDigits(digits)) {
        return new FieldEffect(FieldEffect.Kind.PARTIAL, Integer.parseInt(digits),
            dev.verdict.lang.source.Span.NONE);
      }
    }
    throw new IllegalArgumentException("`" + shorten(text) + "` is not a field effect");
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Keeps messages short when the input is long: they end up in logs. */
  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
