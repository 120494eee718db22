package dev.verdict.lang;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.check.Checker;
import dev.verdict.lang.data.EntityDataBound;
import dev.verdict.lang.data.EntityDataFile;
import dev.verdict.lang.data.EntityDataReader;
import dev.verdict.lang.link.LinkReader;
import dev.verdict.lang.link.LinkRecord;
import dev.verdict.lang.link.Templates;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.verdict.lang.eval.Compiler;

/** The entry point of the policy language: read, parse and check policy sets. */
public final class Verdict {
  private Verdict() {}

  /**
   * Reads, checks and compiles the policy set under {@code root}. Fails (with diagnostics) when
   * any file has an error; the set's version hashes names relative to {@code root}.
   */
  public static LoadResult load(Path root) {
    String prefix = root.normalize().toString().replace('\\', '/') + "/";
    return load(new SourceReader().read(List.of(root)),
        name -> name.startsWith(prefix) ? name.substring(prefix.length()) : name);
  }

  /**
   * Checks and compiles files already read. Fails (with diagnostics) when any file has an
   * error.
   *
   * @param versionName maps a file's name as read to the name hashed into the version (its
   *     name relative to the set's root), so a set has one version wherever it is read from
   */
  public static LoadResult load(SourceSet sources, Function<String, String> versionName) {
    CheckResult check = check(sources);
    if (check.hasErrors()) {
      return new LoadResult(Optional.empty(), check);
    }
    Compiler.Result compiled = Compiler.compile(check.files(), check.sources().entityData(), check.data(),
        links(check.sources()).links().stream().map(LinkRecord::link).toList(), versionName);
    if (!compiled.ok()) {
      List<Diagnostic> diags = new ArrayList<>(check.diagnostics());
      diags.addAll(compiled.problems());
      return new LoadResult(Optional.empty(), new CheckResult(check.sources(), check.files(), check.data(), diags));
    }
    return new LoadResult(Optional.of(compiled.set()), check);
  }

  /**
   * Reads, parses and checks every policy and entity data file under {@code paths}, parsing
   * the files on every core: for one-shot tools ({@code verdict check}), which have the machine
   * to themselves. A server's reload uses {@link #load}, on one thread, so that it never takes
   * the cores its event loops answer on.
   */
  public static CheckResult check(List<Path> paths) {
    return check(new SourceReader().read(paths), true);
  }

  /**
   * Parses and checks files already read. Semantic checks run only when every file parsed:
   * names and types cannot be judged in a set with declarations missing, and their errors
   * would only repeat the syntax error.
   */
  public static CheckResult check(SourceSet sources) {
    return check(sources, false);
  }

  private static CheckResult check(SourceSet sources, boolean parallel) {
    List<Diagnostic> diags = new ArrayList<>(sources.diagnostics());
    List<PolicyFile> files = new ArrayList<>();
    boolean syntaxErrors = false;
    // Files parse independently (ANTLR's shared prediction cache is thread-safe): in parallel,
    // results kept in file order, so diagnostics come out as one by one.
    List<ParseResult> parsed = parallel && sources.policies().size() > 1
        ? sources.policies().parallelStream().map(Parser::parse).toList()
        : sources.policies().stream().map(Parser::parse).toList();
    for (ParseResult r : parsed) {
      files.add(r.file());
      diags.addAll(r.diagnostics());
      syntaxErrors |= r.hasErrors();
    }
    List<Source> dataSources = sources.entityData().stream()
        .filter(s -> !s.name().endsWith(SourceReader.LINKS_EXTENSION)).toList();
    // checked before parsing: a set too large to hold is refused, not loaded until the heap runs out
    Optional<Diagnostic> tooLarge = EntityDataBound.check(dataSources, EntityDataBound.maxBytes());
    tooLarge.ifPresent(diags::add);
    List<EntityDataFile> data = tooLarge.isPresent() ? List.of()
        : dataSources.stream().map(EntityDataReader::read).toList();
    LinkReader.Result links = links(sources);
    diags.addAll(links.diagnostics());
    if (!syntaxErrors && tooLarge.isEmpty() && sources.diagnostics().stream().noneMatch(Diagnostic::isError)) {
      diags.addAll(Checker.check(files, data));
      diags.addAll(Templates.of(files).check(links.links(), List.of()));
    }
    return new CheckResult(sources, files, data, diags);
  }

  /** The links of the set's {@code *.links.json} files, in file order. */
  private static LinkReader.Result links(SourceSet sources) {
    List<LinkRecord> links = new ArrayList<>();
    List<Diagnostic> diags = new ArrayList<>();
    for (Source s : sources.entityData()) {
      if (s.name().endsWith(SourceReader.LINKS_EXTENSION)) {
        LinkReader.Result r = LinkReader.read(s);
        links.addAll(r.links());
        diags.addAll(r.diagnostics());
      }
    }
    return new LinkReader.Result(links, diags);
  }
}
