package dev.verdict.lang.check;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.data.EntityDataFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every pass sees: the parsed files, the entity data, the symbol table, and the sink. */
final class CheckContext {
  final List<PolicyFile> files;
  final List<EntityDataFile> entityData;
  final SymbolTable symbols;
  final ActionGroups actionGroups;
  private final Map<String, Source> sources = new HashMap<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  CheckContext(List<PolicyFile> files, List<EntityDataFile> entityData) {
    this.files = List.copyOf(files);
    this.entityData = List.copyOf(entityData);
    this.symbols = SymbolTable.of(this.files);
    this.actionGroups = new ActionGroups(symbols.actionGroups);
    this.files.forEach(f -> sources.put(f.source().name(), f.source()));
  }

  /** Where diagnostics about a whole rule point: its `permit`/`forbid` word, even after annotations. */
  Span ruleHead(PolicyMember.Rule rule) {
    if (!rule.annotations().isEmpty()) {
      Span last = rule.annotations().get(rule.annotations().size() - 1).span();
      Source source = sources.get(last.file());
      Span word = source == null ? null : Spans.wordAfter(source, last, rule.effect().word());
      if (word != null) {
        return word;
      }
    }
    return Spans.ruleHead(rule);
  }

  void report(Diagnostic d) {
    diagnostics.add(d);
  }

  void report(Code code, Span span, String message, String help) {
    diagnostics.add(Diagnostic.of(code, span, message, help));
  }

  void report(Code code, Span span, String message, Optional<String> help) {
    diagnostics.add(Diagnostic.of(code, span, message, help.orElse(null)));
  }

  List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
