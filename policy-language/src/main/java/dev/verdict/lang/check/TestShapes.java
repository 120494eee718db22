package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.eval.Constants;
import dev.verdict.lang.eval.PolicySetInternals;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.types.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code test} blocks against what their action declares ({@code action NAME { … }}): a test
 * whose principal or resource is of a type the action does not apply to, or whose context lacks
 * a required attribute or gives one of another type, could only fail when run. The check is the
 * engine's own ({@link ValueTypes#forAction}), so a test is flagged exactly when its request
 * would be refused; it points at the part of the test to change.
 */
final class TestShapes {
  private final Schema schema;
  private final ValueTypes types;
  private final List<Diagnostic> out;

  TestShapes(Schema schema, List<Diagnostic> out) {
    this.schema = schema;
    this.types = PolicySetInternals.valueTypes(schema);
    this.out = out;
  }

  /** Tests that name their action (a routed {@code request} takes the route's: the route is checked instead). */
  void check(Decl.TestDecl test) {
    TestItem.EntitySpec principal = null;
    TestItem.EntitySpec resource = null;
    TestItem.ActionSpec action = null;
    TestItem.ContextSpec context = null;
    for (TestItem item : test.items()) {
      if (item instanceof TestItem.EntitySpec e && e.role() == TestItem.EntityRole.PRINCIPAL && principal == null) {
        principal = e;
      } else if (item instanceof TestItem.EntitySpec e && e.role() == TestItem.EntityRole.RESOURCE
          && resource == null) {
        resource = e;
      } else if (item instanceof TestItem.ActionSpec a && action == null) {
        action = a;
      } else if (item instanceof TestItem.ContextSpec c && context == null) {
        context = c;
      } else if (item instanceof TestItem.RequestSpec) {
        return;
      }
    }
    if (action == null || principal == null || resource == null || resource.type().isEmpty()
        || !schema.actions().containsKey(action.action().name())) {
      return; // incomplete tests are the test pass's to report
    }
    Map<String, Value> values = new LinkedHashMap<>();
    if (context != null) {
      for (Expr.Entry e : context.attrs().entries()) {
        Value v = Constants.valueOf(e.value());
        if (v == null) {
          return; // not a literal: the test run says so
        }
        values.put(e.key().name(), v);
      }
    }
    // a principal written without a type is a `User`, as the test run reads it
    String principalType = principal.type().map(t -> t.name()).orElse("User");
    String name = action.action().name();
    try {
      types.forAction(name, principalType, resource.type().get().name(), values);
    } catch (Values.JsonValueException e) {
      report(test, name, e, principal, resource, action, context);
    }
  }

  private void report(Decl.TestDecl test, String action, Values.JsonValueException e, TestItem.EntitySpec principal,
      TestItem.EntitySpec resource, TestItem.ActionSpec actionItem, TestItem.ContextSpec context) {
    String test_ = "test `" + test.name().value() + "`: ";
    String message = test_ + e.getMessage();
    Schema.ActionShape shape = schema.actions().get(action);
    if (e.path().equals("$.principal.type")) {
      out.add(Diagnostic.of(Code.TEST_DOES_NOT_FIT_ACTION, principal.type().map(t -> t.span())
          .orElse(Spans.head(principal.span(), "principal".length())), message,
          "write a principal of a type the action applies to, or add this type to the `principal:` line of "
              + "`action " + action + "`"));
      return;
    }
    if (e.path().equals("$.resource.type")) {
      out.add(Diagnostic.of(Code.TEST_DOES_NOT_FIT_ACTION, resource.type().get().span(), message,
          "write a resource of a type the action applies to, or add this type to the `resource:` line of "
              + "`action " + action + "`"));
      return;
    }
    // `$.context.NAME…`: the attribute the test gives with the wrong type, or the context that lacks it
    String attribute = e.path().substring("$.context.".length()).split("[.\\[]", 2)[0];
    Span at = null;
    if (context != null) {
      for (Expr.Entry entry : context.attrs().entries()) {
        if (entry.key().name().equals(attribute)) {
          at = entry.value().span();
        }
      }
    }
    Type.Attr declared = shape.context().attrs().get(attribute);
    String want = declared == null ? "" : " (a `" + declared.type().display() + "`)";
    if (at != null) {
      out.add(Diagnostic.of(Code.TEST_DOES_NOT_FIT_ACTION, at, test_ + "`" + e.path().substring(2) + "` "
          + e.getMessage(), "action `" + action + "` declares `" + attribute + "`" + want
          + "; give the test a value of that type"));
    } else {
      Span where = context != null ? Spans.head(context.span(), "context".length())
          : Spans.head(actionItem.span(), "action".length());
      out.add(Diagnostic.of(Code.TEST_DOES_NOT_FIT_ACTION, where, test_ + "action `" + action + "` requires `context."
          + attribute + "`" + want + ", which the test does not give",
          "add `" + attribute + ": …` to the test's `context`"));
    }
  }
}
