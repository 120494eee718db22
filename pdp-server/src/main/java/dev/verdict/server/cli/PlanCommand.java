package dev.verdict.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Engine;
import dev.verdict.engine.RequestRefused;
import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.plan.FilterText;
import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanJson;
import dev.verdict.lang.plan.PlanUnsupported;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict plan DIR --request FILE|- [--format text|json]}: the query plan of a list
 * endpoint. The request is the body of {@code POST /v1/plan}:
 * {@code {"principal": {…}, "resourceType": "Account", "action": "read", "context": {…}}}.
 */
@Command(name = "plan", description = "Which resources of a type may this principal act on: the query plan.")
final class PlanCommand implements Callable<Integer> {
  enum Format { text, json }

  @Parameters(index = "0", paramLabel = "DIR", description = "The policy set directory.")
  Path dir;

  @Option(names = "--request", required = true, paramLabel = "FILE|-",
      description = "{\"principal\", \"resourceType\", \"action\", \"context\"} as JSON; `-` reads standard input.")
  String request;

  @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
  Format format;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Read as the server reads the body of POST /v1/plan: a request it refuses is refused here.
    JsonNode node;
    try {
      node = RequestDocuments.load(request, System.in);
    } catch (RequestDocuments.Unreadable e) {
      err.println(e.getMessage());
      return VerdictCommand.USAGE;
    }
    if (!node.isObject()) {
      err.println("error: the request must be a JSON object {\"principal\", \"resourceType\", \"action\", \"context\"}");
      return VerdictCommand.USAGE;
    }
    Engine loader;
    try {
      loader = PolicySets.load(dir, out, err);
    } catch (PolicySets.NotLoaded e) {
      return e.exitCode;
    }
    ActivePolicy active = loader.active().orElseThrow();
    String type = text(node, "resourceType");
    String action = text(node, "action");
    if (type == null || action == null) {
      err.println("error: invalid request at $." + (type == null ? "resourceType" : "action") + ": `"
          + (type == null ? "resourceType` must be a resource type such as \"Account\"" : "action` must be an action name such as \"read\""));
      return VerdictCommand.USAGE;
    }
    EntityData principal;
    Map<String, Value> context;
    try {
      principal = RequestJson.entityAt(node.get("principal"), "$.principal", "User", active.set().types());
      context = RequestJson.contextAt(node.get("context"), "$.context", active.set().types());
    } catch (RequestJson.InvalidRequest e) {
      err.println("error: invalid request at " + e.path() + ": " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    // As in `verdict eval`: the request's own `now` fixes the clock, for what-if questions.
    Clock clock = Clock.systemUTC();
    Value now = context.get(ContextKeys.NOW);
    if (now != null) {
      Long millis = now instanceof Value.Time t ? Long.valueOf(t.epochMillis())
          : now instanceof Value.Str s ? Values.parseTime(s.value()) : null;
      if (millis == null) {
        err.println("error: invalid request at $.context.now: `now` must be an RFC 3339 time such as "
            + "\"2024-01-01T12:00:00Z\"");
        return VerdictCommand.USAGE;
      }
      clock = Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
    Plan plan;
    try {
      plan = Engine.builder(active).clock(clock).build().plan(active, principal, type, action, context);
    } catch (RequestRefused e) {
      err.println("error: invalid request at " + e.path() + ": " + e.getMessage());
      return VerdictCommand.USAGE;
    } catch (PlanUnsupported e) {
      err.println("error: no plan: " + e.getMessage());
      err.println("  the service must decide per resource (POST /v1/decisions) for this type and action");
      return VerdictCommand.POLICY_ERRORS;
    }
    if (format == Format.json) {
      out.println(PlanJson.write(plan).toPrettyString());
    } else {
      out.println("plan:     " + plan.kind().name());
      out.println("rules:    " + (plan.rules().isEmpty() ? "(none)" : String.join(", ", plan.rules())));
      out.println("filter:   " + FilterText.of(plan.filter()));
      out.println("version:  " + plan.policyVersion());
    }
    return VerdictCommand.OK;
  }

  private static String text(JsonNode node, String member) {
    JsonNode n = node.get(member);
    return n != null && n.isTextual() && !n.textValue().isEmpty() ? n.textValue() : null;
  }
}
