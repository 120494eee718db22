package dev.verdict.lang.check;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.data.EntityDataFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a parsed policy set as one unit: names, schema and types, routes, limits, field
 * rules, entity data files and tests. Every pass runs, so that one run reports every
 * problem; the result is in position order.
 */
public final class Checker {
  /**
   * The passes in the order they run. Each reads the shared symbol table and reports into
   * the context; none depends on another's diagnostics, but names come first so that their
   * errors are read first, and the warnings last.
   */
  private static final List<Pass> PASSES = List.of(
      new DuplicatePass(),
      new AnnotationPass(),
      new RolePass(),
      new ActionPass(),
      new ResourceTypePass(),
      new SchemaPass(),
      new RoutePass(),
      new LimitPass(),
      new FieldEffectPass(),
      new FieldActionPass(),
      new TestPass(),
      new ShadowPass(),
      new CollectionRoutePass(),
      new UnusedRolePass(),
      new TemplatePass());

  private Checker() {}

  /** Every diagnostic about {@code files} and the set's entity data (read once, by the caller), in position order. */
  public static List<Diagnostic> check(List<PolicyFile> files, List<EntityDataFile> entityData) {
    CheckContext ctx = new CheckContext(files, entityData);
    for (Pass pass : PASSES) {
      pass.run(ctx);
    }
    List<Diagnostic> out = dedupe(ctx.diagnostics());
    out.sort(null);
    return out;
  }

  /**
   * Two passes may see the same mistake (an unknown type in `is` is a name problem and a
   * type problem); one diagnostic per code and place is enough.
   */
  private static List<Diagnostic> dedupe(List<Diagnostic> all) {
    List<Diagnostic> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Diagnostic d : all) {
      var s = d.span();
      String key = d.code().id() + d.message() + "@" + s.file() + ":" + s.line() + ":" + s.column() + "-" + s.endLine() + ":" + s.endColumn();
      if (seen.add(key)) {
        out.add(d);
      }
    }
    return out;
  }
}
