package dev.verdict.lang.check;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a parsed policy set as one unit: names, schema and types, routes, limits, field
 * paths, entity data files and tests. Each pass appends diagnostics; all run, so that one
 * run reports every problem.
 */
public final class Checker {
  private Checker() {}

  public static List<Diagnostic> check(List<PolicyFile> files, List<Source> entityData) {
    List<Diagnostic> out = new ArrayList<>();
    // Passes are added here, in the order they depend on each other.
    Schema schema = Schema.build(files, out); // types branch: temporary wiring, see TypeCheckPass
    TypeCheckPass.check(files, schema, out);
    EntityDataPass.check(entityData, schema, out);
    return out;
  }
}
