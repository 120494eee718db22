package dev.verdict.lang.mask;

import dev.verdict.lang.ast.FieldPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a caller may not set: the field paths of {@code fields write} rules whose effect
 * {@code deny} applies. Immutable; check a request body with {@link WriteCheck}. Merging is a
 * union, since {@code deny} is the only write effect.
 */
public final class WriteMask {

  private static final WriteMask EMPTY = new WriteMask(Collections.emptySortedSet(), List.of());

  private final SortedSet<String> denied;
  private final List<FieldPath> paths;

  private WriteMask(SortedSet<String> denied, List<FieldPath> paths) {
    this.denied = denied;
    this.paths = paths;
  }

  /** The mask that lets every field be set. */
  public static WriteMask empty() {
    return EMPTY;
  }

  /**
   * A mask denying these paths.
   *
   * @throws IllegalArgumentException for a path that is not a field path
   */
  public static WriteMask of(Collection<String> deniedPaths) {
    Objects.requireNonNull(deniedPaths, "deniedPaths is null");
    TreeSet<String> copy = new TreeSet<>();
    Map<String, FieldPath> parsed = new HashMap<>();
    for (String path : deniedPaths) {
      // A valid path has exactly one spelling, so the text as given is its canonical text.
      parsed.put(path, MaskPaths.parse(path));
      copy.add(path);
    }
    return build(copy, parsed);
  }

  /** {@code parsed} holds the paths already parsed; the others are parsed here. */
  private static WriteMask build(TreeSet<String> denied, Map<String, FieldPath> parsed) {
    if (denied.isEmpty()) {
      return EMPTY;
    }
    List<FieldPath> paths = new ArrayList<>(denied.size());
    for (String text : denied) {
      FieldPath p = parsed.get(text);
      paths.add(p != null ? p : MaskPaths.parse(text));
    }
    return new WriteMask(Collections.unmodifiableSortedSet(denied), List.copyOf(paths));
  }

  /** This mask also denying {@code path}. */
  public WriteMask with(String path) {
    return merge(of(List.of(path)));
  }

  /** This mask also denying {@code path}. */
  public WriteMask with(FieldPath path) {
    return with(path.text());
  }

  /** Every path either mask denies. */
  public WriteMask merge(WriteMask other) {
    Objects.requireNonNull(other, "other is null");
    if (other.denied.isEmpty()) {
      return this;
    }
    if (denied.isEmpty()) {
      return other;
    }
    TreeSet<String> union = new TreeSet<>(denied);
    union.addAll(other.denied);
    Map<String, FieldPath> parsed = new HashMap<>();
    paths.forEach(p -> parsed.put(p.text(), p));
    other.paths.forEach(p -> parsed.put(p.text(), p));
    return build(union, parsed);
  }

  /** The denied paths, sorted; unmodifiable. */
  public SortedSet<String> denied() {
    return denied;
  }

  public boolean isEmpty() {
    return denied.isEmpty();
  }

  List<FieldPath> paths() {
    return paths;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteMask m && m.denied.equals(denied);
  }

  @Override
  public int hashCode() {
    return denied.hashCode();
  }

  /** The header form, e.g. {@code balance=deny;owner=deny}. */
  @Override
  public String toString() {
    return FieldMaskCodec.encode(this);
  }
}
