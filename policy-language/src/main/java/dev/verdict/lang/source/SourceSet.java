package dev.verdict.lang.source;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The files of a policy set as read from disk: policy files ({@code .verdict}), entity data
 * files ({@code .entities.json}) and the problems met while reading them.
 */
public record SourceSet(List<Source> policies, List<Source> entityData, List<Diagnostic> diagnostics) {
  public SourceSet {
    policies = List.copyOf(policies);
    entityData = List.copyOf(entityData);
    diagnostics = List.copyOf(diagnostics);
  }

  /** Every source by its reported name, for rendering diagnostics. */
  public Map<String, Source> byName() {
    java.util.Map<String, Source> m = new java.util.LinkedHashMap<>();
    policies.forEach(s -> m.put(s.name(), s));
    entityData.forEach(s -> m.put(s.name(), s));
    return java.util.Collections.unmodifiableMap(m);
  }

  public Source get(String name) {
    Objects.requireNonNull(name, "name is null");
    return byName().get(name);
  }
}
