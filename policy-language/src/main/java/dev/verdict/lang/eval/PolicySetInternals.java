package dev.verdict.lang.eval;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import java.util.List;

/**
 * What a compiled set keeps of its syntax tree, for the language module's own tools (the test
 * runner and its coverage, the checker's test shapes, the reference evaluator, benchmarks).
 * Implementation, not API
 * (docs/architecture.md): callers outside read {@link PolicySet#catalog()}.
 */
public final class PolicySetInternals {
  private PolicySetInternals() {}

  /** The value types {@code schema} declares, as a compiled set would check requests against them. */
  public static ValueTypes valueTypes(dev.verdict.lang.check.Schema schema) {
    return ValueTypes.of(schema);
  }

  /** The parsed files the set was compiled from. */
  public static List<PolicyFile> files(PolicySet set) {
    return set.files();
  }

  /** Every {@code test} block of the set, in file order. */
  public static List<Decl.TestDecl> tests(PolicySet set) {
    return set.tests();
  }

  /** How many entities the set's data files hold. */
  public static int entityCount(PolicySet set) {
    return set.graph().size();
  }

  /** Entities without parents, as a set's entity data would hold them (benchmarks, tests). */
  public static Entities flatEntities(List<EntityData> data) {
    return EntityGraph.flat(data);
  }
}
