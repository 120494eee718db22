package dev.verdict.server.cli;

import dev.verdict.lang.eval.ContextKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.engine.RequestRefused;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Trace;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verdict eval DIR --request FILE|- [--explain] [--format text|json]}: one decision. */
@Command(name = "eval", description = "Decide one JSON request against a policy set.")
final class EvalCommand implements Callable<Integer> {
  /** A request file is a small JSON document; anything larger is a mistake. */
  static final int MAX_REQUEST_BYTES = RequestDocuments.MAX_REQUEST_BYTES;

  enum Format { text, json }

  @Parameters(index = "0", paramLabel = "DIR", description = "The policy set directory.")
  Path dir;

  @Option(names = "--request", required = true, paramLabel = "FILE|-", description = "The request as JSON; `-` reads standard input.")
  String request;

  @Option(names = "--explain", description = "Show every rule considered and why it did or did not apply.")
  boolean explain;

  @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
  Format format;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode node;
    try {
      node = RequestDocuments.load(request, System.in);
    } catch (RequestDocuments.Unreadable e) {
      err.println(e.getMessage());
      return VerdictCommand.USAGE;
    }
    // The request's own `now` sets the engine's clock, so a what-if question can be asked about
    // another time; without one, the decision is taken now.
    Engine engine;
    try {
      engine = PolicySets.load(dir, out, err);
    } catch (PolicySets.NotLoaded e) {
      return e.exitCode;
    }
    Request req;
    try {
      req = RequestJson.parse(node, engine.active().orElseThrow().set().types());
    } catch (RequestJson.InvalidRequest e) {
      err.println("error: invalid request at " + e.path() + ": " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    Clock clock = Clock.systemUTC();
    Value now = req.context().get(ContextKeys.NOW);
    if (now != null) {
      Long millis = now instanceof Value.Time t ? Long.valueOf(t.epochMillis())
          : now instanceof Value.Str str ? Values.parseTime(str.value()) : null;
      if (millis == null) {
        err.println("error: invalid request at $.context.now: `now` must be an RFC 3339 time such as "
            + "\"2024-01-01T12:00:00Z\"");
        return VerdictCommand.USAGE;
      }
      clock = Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
    Decision d;
    try {
      d = Engine.builder(PolicySource.directory(dir)).clock(clock).buildUnloaded()
          .decide(engine.active().orElseThrow(), req, new DecideOptions(explain, false, null));
    } catch (RequestRefused e) {
      err.println("error: invalid request at " + e.path() + ": " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    if (format == Format.json) {
      ObjectNode o = dev.verdict.lang.eval.DecisionJson.write(d, JsonNodeFactory.instance.objectNode());
      o.put("policyVersion", d.policyVersion());
      out.println(o.toPrettyString());
    } else {
      printText(out, d);
    }
    return VerdictCommand.OK;
  }


  private static void printText(PrintWriter out, Decision d) {
    out.println("decision: " + d.outcome().word());
    out.println("reasons:  " + (d.reasons().isEmpty() ? "(none: no permit applied, so the default is deny)" : String.join(", ", d.reasons())));
    for (EvalError e : d.errors()) {
      out.println("error:    " + e.ruleId() + " at " + e.span().location() + ": " + e.message());
    }
    if (!d.readMask().isEmpty()) {
      // as policies write field rules: { balance: redact, holder.ssn: hide }
      out.println("read:     { " + String.join(", ", d.readMaskText().entrySet().stream()
          .map(e -> e.getKey() + ": " + e.getValue()).toList()) + " }");
    }
    if (!d.writeDenied().isEmpty()) {
      out.println("write:    denied " + new java.util.TreeSet<>(d.writeDenied()));
    }
    out.println("version:  " + d.policyVersion());
    d.trace().ifPresent(t -> {
      out.println("trace:");
      for (Trace.Step s : t.steps()) {
        out.printf(Locale.ROOT, "  %-6s %-24s %-16s %s%n", s.kind(), s.id(),
            s.status().name().toLowerCase(Locale.ROOT), s.detail());
        out.println("         at " + s.span().location());
        s.annotations().forEach((k, v) -> out.println("         @" + k + "(\"" + v.replace("\\", "\\\\")
            .replace("\"", "\\\"") + "\")"));
      }
    });
  }

}
