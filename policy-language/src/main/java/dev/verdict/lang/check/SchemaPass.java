package dev.verdict.lang.check;

import dev.verdict.lang.source.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema, the type check of every expression, the entity data files against the schema, and
 * routes and tests against the actions' declared shapes.
 */
final class SchemaPass implements Pass {
  @Override
  public String name() {
    return "schema and types";
  }

  @Override
  public void run(CheckContext ctx) {
    List<Diagnostic> out = new ArrayList<>();
    Schema schema = Schema.build(ctx.files, out);
    ActionShapes shapes = new ActionShapes(schema, ctx.actionGroups, out);
    ctx.symbols.actionShapes.values().forEach(shapes::checkDecl);
    if (!schema.actions().isEmpty()) {
      ctx.symbols.routes.forEach(shapes::checkRoute);
      TestShapes tests = new TestShapes(schema, out);
      ctx.symbols.tests.forEach(tests::check);
    }
    TypeCheckPass.check(ctx.files, schema, shapes, out);
    EntityDataPass.check(ctx.entityData, schema, out);
    out.forEach(ctx::report);
  }
}
