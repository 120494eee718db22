package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.mask.MaskApplier;
import dev.verdict.lang.mask.ReadMask;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/** A client's way of applying read masks: the engine's {@link MaskApplier}, with the configured hash key or none. */
final class Masks {
  /** Without a key: {@code hash} fields are redacted, never shown. */
  static final Masks NONE = new Masks(null);

  private final MaskApplier applier;

  private Masks(MaskApplier applier) {
    this.applier = applier;
  }

  static Masks withKey(byte[] key) {
    return key == null ? NONE : new Masks(MaskApplier.create(key));
  }

  JsonNode apply(Map<String, String> mask, JsonNode document) {
    Map<String, FieldEffect> effects = new LinkedHashMap<>();
    mask.forEach((path, text) -> {
      FieldEffect e = parse(text);
      if (e.kind() == FieldEffect.Kind.HASH && applier == null) {
        e = FieldEffect.of(FieldEffect.Kind.REDACT);
      }
      effects.put(path, e);
    });
    return (applier == null ? Unkeyed.APPLIER : applier).apply(ReadMask.of(effects), document);
  }

  /** {@code hide}, {@code redact}, {@code hash}, {@code partial(n)}; anything else hides (fail closed). */
  static FieldEffect parse(String text) {
    switch (text) {
      case "hide":
        return FieldEffect.of(FieldEffect.Kind.HIDE);
      case "redact":
        return FieldEffect.of(FieldEffect.Kind.REDACT);
      case "hash":
        return FieldEffect.of(FieldEffect.Kind.HASH);
      default:
        if (text.startsWith("partial(") && text.endsWith(")")) {
          try {
            int keep = Integer.parseInt(text.substring(8, text.length() - 1));
            if (keep >= 0 && keep <= ReadMask.MAX_PARTIAL_KEEP) {
              return new FieldEffect(FieldEffect.Kind.PARTIAL, keep, dev.verdict.lang.source.Span.NONE);
            }
          } catch (NumberFormatException e) {
            // falls through to hide
          }
        }
        return FieldEffect.of(FieldEffect.Kind.HIDE);
    }
  }

  /** Applies masks that hold no hash (those were turned into redact), so its key is never used. */
  private static final class Unkeyed {
    static final MaskApplier APPLIER;

    static {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      APPLIER = MaskApplier.create(k);
    }
  }
}
