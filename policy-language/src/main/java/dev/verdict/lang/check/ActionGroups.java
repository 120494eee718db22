package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves action names through {@code actions} groups to the plain actions they stand for.
 * Groups may nest and, when the set is wrong, form cycles; expansion visits each group once,
 * so a cycle ends the walk instead of looping (it is reported by the action pass).
 */
final class ActionGroups {
  private final Map<String, Decl.ActionGroupDecl> groups;
  private final Map<String, Set<String>> leaves = new HashMap<>();

  ActionGroups(Map<String, Decl.ActionGroupDecl> groups) {
    this.groups = groups;
  }

  boolean isGroup(String name) {
    return groups.containsKey(name);
  }

  /** The plain actions {@code names} stand for: each group replaced by its members, transitively. */
  Set<String> expand(List<Ident> names) {
    Set<String> out = new LinkedHashSet<>();
    for (Ident n : names) {
      out.addAll(leaves(n.name()));
    }
    return out;
  }

  private Set<String> leaves(String name) {
    Set<String> cached = leaves.get(name);
    if (cached != null) {
      return cached;
    }
    Set<String> out = new LinkedHashSet<>();
    if (!groups.containsKey(name)) {
      out.add(name);
    } else {
      Set<String> seen = new HashSet<>();
      Deque<String> todo = new ArrayDeque<>();
      todo.push(name);
      while (!todo.isEmpty()) {
        String g = todo.pop();
        if (!seen.add(g)) {
          continue;
        }
        for (Ident m : groups.get(g).members()) {
          if (groups.containsKey(m.name())) {
            todo.push(m.name());
          } else {
            out.add(m.name());
          }
        }
      }
    }
    leaves.put(name, Set.copyOf(out));
    return leaves.get(name);
  }
}
