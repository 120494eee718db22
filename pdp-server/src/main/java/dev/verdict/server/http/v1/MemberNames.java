package dev.verdict.server.http.v1;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The names of members that a streaming reader does not know, per object it walks member by
 * member, a second of any name refused (the streaming parser leaves that check to its caller;
 * the members it knows it notes otherwise). One stack serves every object of one document: an
 * object's names are pushed while it is read and dropped when it ends, so a body costs one
 * array however many objects it has, not one per object.
 */
final class MemberNames {
  /** Names checked one by one; past them an object's names go to a set (no quadratic check). */
  private static final int FEW = 8;
  /** The objects a reader opens inside one another; deeper ones are read as trees. */
  private static final int MAX_OPEN = 8;

  private String[] names = new String[16];
  private int top;
  private final int[] marks = new int[MAX_OPEN];
  private int open = -1;
  /** The large objects' names, by how deep they are open; null until an object has more than {@link #FEW}. */
  private Set<String>[] many;

  /** A new object starts: its names are checked against each other only. */
  void open() {
    marks[++open] = top;
  }

  /** The object opened last ends. */
  void close() {
    top = marks[open];
    if (many != null) {
      many[open] = null;
    }
    open--;
  }

  /** {@code name}, a member of the object opened last; false when the object has already named it. */
  @SuppressWarnings("unchecked")
  boolean add(String name) {
    if (many != null && many[open] != null) {
      return many[open].add(name);
    }
    int from = marks[open];
    for (int i = from; i < top; i++) {
      if (names[i].equals(name)) {
        return false;
      }
    }
    if (top - from < FEW) {
      if (top == names.length) {
        names = Arrays.copyOf(names, top * 2);
      }
      names[top++] = name;
      return true;
    }
    if (many == null) {
      many = new Set[MAX_OPEN];
    }
    many[open] = new HashSet<>(Arrays.asList(names).subList(from, top));
    top = from; // its names are in the set now; the objects opened inside it start from here
    return many[open].add(name);
  }
}
