package dev.verdict.bench;

/**
 * The size of a generated policy set, written {@code rules/files} ({@code 1000/50}) so that
 * one JMH {@code @Param} carries both numbers and the pairs stay as measured.
 */
public record SetShape(int rules, int files) {
  public SetShape {
    if (files < 1 || rules < files) {
      throw new IllegalArgumentException(
          "a set needs at least one file and one rule per file, not " + rules + "/" + files);
    }
  }

  public static SetShape parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected `rules/files`, e.g. `1000/50`, not `" + text + "`");
    }
    return new SetShape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
  }

  @Override
  public String toString() {
    return rules + "/" + files;
  }
}
