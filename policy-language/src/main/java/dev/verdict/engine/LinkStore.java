package dev.verdict.engine;

import dev.verdict.lang.link.Link;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The links added to an engine at run time, kept apart from its policy files so that each load of
 * the files gets them again. Bounded in count and in bytes; not thread-safe (the engine changes it
 * under its reload lock).
 */
final class LinkStore {
  /** At most this many links added at run time. */
  static final int MAX_LINKS = 100_000;
  /** At most this many bytes of links (as {@link Link#estimatedBytes} counts them). */
  static final long MAX_BYTES = 32L * 1024 * 1024;

  private final Map<String, Link> byId = new LinkedHashMap<>();
  private long bytes;

  List<Link> all() {
    return List.copyOf(byId.values());
  }

  boolean contains(String id) {
    return byId.containsKey(id);
  }

  /** Why {@code link} cannot be kept, or null when it can. */
  String full(Link link) {
    if (byId.size() >= MAX_LINKS) {
      return "this node keeps at most " + MAX_LINKS + " links added over the API";
    }
    if (bytes + link.estimatedBytes() > MAX_BYTES) {
      return "this node keeps at most " + MAX_BYTES + " bytes of links added over the API";
    }
    return null;
  }

  /** {@code all()} with {@code link} added. */
  List<Link> with(Link link) {
    List<Link> out = new ArrayList<>(byId.values());
    out.add(link);
    return out;
  }

  /** {@code all()} without the link {@code id}. */
  List<Link> without(String id) {
    List<Link> out = new ArrayList<>(byId.values());
    out.removeIf(l -> l.id().equals(id));
    return out;
  }

  void add(Link link) {
    byId.put(link.id(), link);
    bytes += link.estimatedBytes();
  }

  void remove(String id) {
    Link l = byId.remove(id);
    if (l != null) {
      bytes -= l.estimatedBytes();
    }
  }
}
