package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.mask.FieldMaskCodec;
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
    try {
      FieldEffect e = FieldMaskCodec.effect(text);
      if (e.kind().isRead() && (e.kind() != FieldEffect.Kind.PARTIAL || e.keep() <= ReadMask.MAX_PARTIAL_KEEP)) {
        return e;
      }
    } catch (IllegalArgumentException e) {
      // an effect this client does not know: the strictest one
    }
    return FieldEffect.of(FieldEffect.Kind.HIDE);
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
