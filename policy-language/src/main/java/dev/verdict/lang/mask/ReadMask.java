package dev.verdict.lang.mask;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.FieldPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a caller may see of an allowed resource: field paths ({@code holder.ssn},
 * {@code items[].price}) mapped to {@code hide}, {@code redact}, {@code hash} or
 * {@code partial(n)}. Immutable; apply it with {@link MaskApplier}.
 *
 * <p>Where several rules hit one path, {@link #merge} keeps the strictest effect: hide >
 * redact > hash > partial, and of two partials the one that keeps fewer characters. Paths are
 * kept in their text's order, so an ancestor ({@code holder}) always comes before its
 * descendants ({@code holder.ssn}).
 */
public final class ReadMask {

  /** The largest {@code n} in {@code partial(n)}. */
  public static final int MAX_PARTIAL_KEEP = 1_000_000;

  private static final ReadMask EMPTY = new ReadMask(Collections.emptySortedMap(), List.of());

  private final SortedMap<String, FieldEffect> effects;
  /** Parsed paths, in the order of {@link #effects}. */
  private final List<FieldPath> paths;

  private ReadMask(SortedMap<String, FieldEffect> effects, List<FieldPath> paths) {
    this.effects = effects;
    this.paths = paths;
  }

  /** The mask that shows everything. */
  public static ReadMask empty() {
    return EMPTY;
  }

  /**
   * A mask of these effects.
   *
   * @throws IllegalArgumentException for a path that is not a field path, a {@code deny}
   *     effect, or a {@code partial(n)} with {@code n} outside 0 to {@value #MAX_PARTIAL_KEEP}
   */
  public static ReadMask of(Map<String, FieldEffect> effects) {
    Objects.requireNonNull(effects, "effects is null");
    TreeMap<String, FieldEffect> copy = new TreeMap<>();
    Map<String, FieldPath> parsed = new HashMap<>();
    effects.forEach((path, effect) -> {
      // A valid path has exactly one spelling, so the text as given is its canonical text.
      FieldPath p = MaskPaths.parse(path);
      FieldEffect previous = copy.put(path, normalise(effect));
      if (previous != null) {
        throw new IllegalArgumentException("field `" + path + "` is given twice");
      }
      parsed.put(path, p);
    });
    return build(copy, parsed);
  }

  /** {@code parsed} holds the paths already parsed; the others are parsed here. */
  private static ReadMask build(TreeMap<String, FieldEffect> effects, Map<String, FieldPath> parsed) {
    if (effects.isEmpty()) {
      return EMPTY;
    }
    List<FieldPath> paths = new ArrayList<>(effects.size());
    for (String text : effects.keySet()) {
      FieldPath p = parsed.get(text);
      paths.add(p != null ? p : MaskPaths.parse(text));
    }
    return new ReadMask(Collections.unmodifiableSortedMap(effects), List.copyOf(paths));
  }

  private static FieldEffect normalise(FieldEffect effect) {
    Objects.requireNonNull(effect, "effect is null");
    if (!effect.kind().isRead()) {
      throw new IllegalArgumentException("`" + effect.text() + "` is not an effect of a read mask");
    }
    if (effect.kind() != FieldEffect.Kind.PARTIAL) {
      return FieldEffect.of(effect.kind());
    }
    if (effect.keep() < 0 || effect.keep() > MAX_PARTIAL_KEEP) {
      throw new IllegalArgumentException("`partial(" + effect.keep() + ")` keeps between 0 and "
          + MAX_PARTIAL_KEEP + " characters");
    }
    return new FieldEffect(FieldEffect.Kind.PARTIAL, effect.keep(), dev.verdict.lang.source.Span.NONE);
  }

  /** This mask with {@code effect} also on {@code path}, the strictest winning. */
  public ReadMask with(String path, FieldEffect effect) {
    return merge(of(Map.of(path, effect)));
  }

  /** This mask with {@code effect} also on {@code path}, the strictest winning. */
  public ReadMask with(FieldPath path, FieldEffect effect) {
    return with(path.text(), effect);
  }

  /** Both masks, the strictest effect winning on every path both name. */
  public ReadMask merge(ReadMask other) {
    Objects.requireNonNull(other, "other is null");
    if (other.effects.isEmpty()) {
      return this;
    }
    if (effects.isEmpty()) {
      return other;
    }
    TreeMap<String, FieldEffect> merged = new TreeMap<>(effects);
    other.effects.forEach((path, effect) -> merged.merge(path, effect, ReadMask::stricter));
    Map<String, FieldPath> parsed = new HashMap<>();
    for (int i = 0; i < paths.size(); i++) {
      parsed.put(paths.get(i).text(), paths.get(i));
    }
    for (int i = 0; i < other.paths.size(); i++) {
      parsed.put(other.paths.get(i).text(), other.paths.get(i));
    }
    return build(merged, parsed);
  }

  /** The stricter of two read effects: hide > redact > hash > partial, the smaller partial. */
  public static FieldEffect stricter(FieldEffect a, FieldEffect b) {
    int byKind = Integer.compare(a.kind().strictness(), b.kind().strictness());
    if (byKind != 0) {
      return byKind > 0 ? a : b;
    }
    return a.keep() <= b.keep() ? a : b;
  }

  /** Every path and its effect, in path order; unmodifiable. */
  public SortedMap<String, FieldEffect> effects() {
    return effects;
  }

  /** The effect on exactly this path, if any. */
  public Optional<FieldEffect> effect(String path) {
    return Optional.ofNullable(effects.get(path));
  }

  public boolean isEmpty() {
    return effects.isEmpty();
  }

  List<FieldPath> paths() {
    return paths;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReadMask m && m.effects.equals(effects);
  }

  @Override
  public int hashCode() {
    return effects.hashCode();
  }

  /** The header form, e.g. {@code balance=redact;holder.ssn=hide}. */
  @Override
  public String toString() {
    return FieldMaskCodec.encode(this);
  }
}
