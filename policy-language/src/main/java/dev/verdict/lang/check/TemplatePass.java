package dev.verdict.lang.check;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;

/**
 * Templates need an {@code @id}: links name their template by it, and an id made of the policy
 * and a line number would change whenever a line is added above the rule, silently orphaning
 * every link (V1501). Where slots may appear is the AST builder's check (V1502).
 */
final class TemplatePass implements Pass {
  @Override
  public String name() {
    return "templates";
  }

  @Override
  public void run(CheckContext ctx) {
    for (PolicyFile f : ctx.files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.PolicyDecl p) {
          for (PolicyMember m : p.members()) {
            if (m instanceof PolicyMember.Rule r && r.isTemplate() && Annotation.find(r.annotations(), "id").isEmpty()) {
              ctx.report(Diagnostic.of(Code.TEMPLATE_WITHOUT_ID, ctx.ruleHead(r), "this rule is a template (it has `"
                  + r.slots().get(0).text() + "`) but no @id; links name their template by its id",
                  "name it: `@id(\"viewer\")` on the line before"));
            }
          }
        }
      }
    }
  }
}
