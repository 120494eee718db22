package dev.verdict.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.format.AstGen;
import dev.verdict.lang.format.AstPrinter;
import dev.verdict.lang.format.Formatter;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the front end: random text, random token sequences, mutated valid files
 * and random bytes. Parsing and checking must never throw, every diagnostic must have a
 * position, and whatever still parses must survive a formatter round trip.
 */
class RobustnessTest {
  private static final long SEED = 77_0311L;
  private static final int CASES = 600;

  private static final String[] TOKENS = {
      "entity", "context", "role", "actions", "policy", "route", "limit", "test", "permit", "forbid",
      "when", "unless", "on", "to", "in", "is", "has", "like", "if", "then", "else", "and", "or", "not",
      "fields", "read", "write", "hide", "redact", "hash", "partial", "deny", "intent", "by", "per",
      "burst", "expect", "repeat", "last", "all", "allow", "rate_limited", "request", "because",
      "principal", "resource", "action", "true", "false", "*", "{", "}", "(", ")", "[", "]", ",", ".",
      ":", "::", "->", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "?", "@", "Account", "owner",
      "x", "\"s\"", "\"unterminated", "\"bad \\q escape\"", "1", "0.5", "1h30m", "99999999999999999999d",
      "123456789012345678901234567890123456789012", "// c\n", "/* c */", "/* open", "#", ";", "!", "&&",
      "'", "\u0000", "\u00e9", "\ud83d\ude00", "\ud800"};

  private static final Pattern TOKEN = Pattern.compile(
      "\"(?:\\\\.|[^\"\\\\\\n])*\"?|//[^\\n]*|/\\*[\\s\\S]*?\\*/|\\d+(?:\\.\\d+)?[a-z]*|[A-Za-z_]\\w*"
          + "|->|::|==|!=|<=|>=|\\S");

  private static final String EXAMPLE = """
      entity Account in Branch { owner: User, holder: { ssn: String }, tags: Set<String> }
      context { mfa: Bool }
      role admin, auditor
      role owner on Account when resource.owner == principal.id
      actions write = update, delete
      @id("p")
      policy accounts on Account {
        permit read, write to owner when context.mfa unless resource.frozen
        forbid * when if principal is User in Group::"x" then -1 < 2 else resource has "k"
        fields read { holder.ssn: partial(4) unless admin  tags[].x: hash when principal.a like "*x" }
        fields write { owner: deny }
      }
      route POST "/accounts/{id}" -> Account[id].write intent "w"
      limit w on intent "w" by principal.id { 5 per 1m burst 2 when size(principal.roles) > 0 }
      test "t" {
        principal User "u" in Group "g" { roles: ["a"], n: 1.5 }
        request POST "/accounts/a1"
        repeat 3 expect last rate_limited because "x" fields { a: hide } fields write { b: deny }
      }
      """;

  @Test
  void theExampleThatMutationsStartFromIsValid() {
    assertThat(survives(EXAMPLE)).isTrue();
  }

  @Test
  void randomTextNeverBreaksTheFrontEnd() {
    Random random = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(200);
      for (int k = 0; k < n; k++) {
        int r = random.nextInt(10);
        b.append(r < 6 ? (char) (32 + random.nextInt(95)) : r < 8 ? "\n\t\"\\{}()[]".charAt(random.nextInt(10))
            : (char) random.nextInt(0x3000));
      }
      survives(b.toString());
    }
  }

  @Test
  void randomTokenSequencesNeverBreakTheFrontEnd() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(80);
      for (int k = 0; k < n; k++) {
        b.append(TOKENS[random.nextInt(TOKENS.length)]).append(random.nextInt(5) == 0 ? "\n" : " ");
      }
      survives(b.toString());
    }
  }

  @Test
  void mutatedValidFilesNeverBreakTheFrontEnd() {
    Random random = new Random(SEED + 2);
    AstGen gen = new AstGen(SEED + 3);
    int stillValid = 0;
    for (int i = 0; i < CASES; i++) {
      String base = i % 3 == 0 ? EXAMPLE : AstPrinter.print(gen.file());
      stillValid += survives(mutate(base, random)) ? 1 : 0;
    }
    assertThat(stillValid).as("some mutants stay valid and go through the formatter").isPositive();
  }

  @Test
  void randomBytesAreRejectedOrParsedWithoutThrowing() {
    Random random = new Random(SEED + 4);
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = EXAMPLE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      int edits = 1 + random.nextInt(4);
      for (int k = 0; k < edits; k++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      List<Diagnostic> diags = new ArrayList<>();
      Source s = SourceReader.decode("bytes.verdict", bytes, diags);
      if (s == null) {
        assertThat(diags).singleElement().satisfies(d -> assertThat(d.span().hasPosition()).isTrue());
      } else {
        survives(s.text());
      }
    }
  }

  private static String mutate(String text, Random random) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      tokens.add(m.group());
    }
    int edits = 1 + random.nextInt(3);
    for (int k = 0; k < edits && !tokens.isEmpty(); k++) {
      int at = random.nextInt(tokens.size());
      switch (random.nextInt(6)) {
        case 0 -> tokens.remove(at);
        case 1 -> tokens.add(at, tokens.get(at));
        case 2 -> {
          int other = random.nextInt(tokens.size());
          String t = tokens.get(at);
          tokens.set(at, tokens.get(other));
          tokens.set(other, t);
        }
        case 3 -> tokens.subList(at, tokens.size()).clear(); // truncate
        case 4 -> tokens.add(at, String.valueOf((char) random.nextInt(0x10000))); // a random character
        default -> tokens.set(at, TOKENS[random.nextInt(TOKENS.length)]);
      }
    }
    StringBuilder b = new StringBuilder();
    for (String t : tokens) {
      b.append(t).append(t.startsWith("//") || random.nextInt(6) == 0 ? "\n" : " ");
    }
    return b.toString();
  }

  /** Parses and checks {@code text}; true when it is valid (and then formats it too). */
  private static boolean survives(String text) {
    Source source = new Source("fuzz.verdict", text);
    ParseResult parsed = Parser.parse(source);
    for (Diagnostic d : parsed.diagnostics()) {
      assertThat(d.span().hasPosition()).as("%s in:\n%s", d, text).isTrue();
      assertThat(d.message()).as("message of %s", d).isNotBlank().doesNotEndWith(".");
    }
    CheckResult checked = Verdict.check(new SourceSet(List.of(source), List.of(), List.of()));
    assertThat(checked.diagnostics()).containsAll(parsed.diagnostics());
    assertThat(checked.render()).isNotNull();
    if (parsed.hasErrors()) {
      assertThat(checked.hasErrors()).isTrue();
      return false;
    }
    String formatted = Formatter.format(parsed.file());
    ParseResult again = Parser.parse(new Source("fuzz.verdict", formatted));
    assertThat(again.diagnostics()).as("formatted:\n%s\nfrom:\n%s", formatted, text).isEmpty();
    assertThat(again.file().decls()).as("formatted:\n%s\nfrom:\n%s", formatted, text).isEqualTo(parsed.file().decls());
    assertThat(Formatter.format(again.file())).isEqualTo(formatted);
    return true;
  }
}
