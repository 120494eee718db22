package dev.verdict.lang.testing;

import java.util.List;

/**
 * What the tests exercised: rules, field rules and limits that applied in some test, and
 * routes that some test's {@code request} matched.
 */
public record Coverage(List<Item> items) {
  public Coverage {
    items = List.copyOf(items);
  }

  /** One rule, field rule, route or limit, and whether a test exercised it. */
  public record Item(String kind, String id, String location, boolean covered) {}

  public long covered() {
    return items.stream().filter(Item::covered).count();
  }

  public double percent() {
    return items.isEmpty() ? 100.0 : 100.0 * covered() / items.size();
  }

  public List<Item> missed() {
    return items.stream().filter(i -> !i.covered()).toList();
  }
}
