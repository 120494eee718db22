package dev.verdict.lang.link;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads links: a {@code *.links.json} file is a JSON array of
 * {@code {"id": "…", "template": "…", "slots": {"principal": {"type": "User", "id": "bob"}}}};
 * the admin API takes one such object. Never throws; every problem is a V1503 diagnostic with
 * the link's line and column and the JSON path of the part that is wrong. Bounded: strings of at
 * most {@value #MAX_STRING_LENGTH} characters, nesting of at most 8 levels.
 */
public final class LinkReader {
  public static final int MAX_STRING_LENGTH = 1024;
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
          .maxStringLength(64 * 1024).build())
      .build());

  /** What a file held: the well-formed links and the problems of the others. */
  public record Result(List<LinkRecord> links, List<Diagnostic> diagnostics) {
    public Result {
      links = List.copyOf(links);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  private LinkReader() {}

  /** Reads a {@code *.links.json} file. */
  public static Result read(Source source) {
    List<LinkRecord> links = new ArrayList<>();
    List<Diagnostic> diags = new ArrayList<>();
    String file = source.name();
    try (JsonParser p = JSON.getFactory().createParser(source.text())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        diags.add(bad(Span.ofFile(file), "$", "a links file is a JSON array of links",
            "write e.g. `[{\"id\": \"d1-bob\", \"template\": \"viewer\", \"slots\": {\"principal\": "
                + "{\"type\": \"User\", \"id\": \"bob\"}}}]`"));
        return new Result(links, diags);
      }
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() == null) {
          diags.add(bad(Span.ofFile(file), "$", "the array of links is not closed", "end the file with `]`"));
          break;
        }
        JsonLocation at = p.currentTokenLocation();
        JsonNode node = JSON.readTree(p);
        Span span = Span.at(file, (int) at.getLineNr(), (int) at.getColumnNr());
        parse(node, span, "$[" + i + "]", links, diags);
        i++;
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      Span span = at == null ? Span.ofFile(file) : Span.at(file, (int) at.getLineNr(), (int) at.getColumnNr());
      diags.add(bad(span, "$", "malformed JSON: " + e.getOriginalMessage(), "fix the JSON syntax at this position"));
    } catch (IOException e) {
      diags.add(bad(Span.ofFile(file), "$", "cannot read the links: " + e.getMessage(), "fix the file"));
    }
    return new Result(links, diags);
  }

  /** Reads one link sent over the API ({@code where} names it in messages, e.g. the request). */
  public static Result read(JsonNode node, String where) {
    List<LinkRecord> links = new ArrayList<>();
    List<Diagnostic> diags = new ArrayList<>();
    parse(node, Span.ofFile(where), "$", links, diags);
    return new Result(links, diags);
  }

  private static void parse(JsonNode node, Span span, String path, List<LinkRecord> out, List<Diagnostic> diags) {
    if (node == null || !node.isObject()) {
      diags.add(bad(span, path, "a link is an object with `id`, `template` and `slots`",
          "write e.g. {\"id\": \"d1-bob\", \"template\": \"viewer\", \"slots\": {\"principal\": {\"type\": \"User\", \"id\": \"bob\"}}}"));
      return;
    }
    int before = diags.size();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("id") && !key.equals("template") && !key.equals("slots")) {
        diags.add(bad(span, path + "." + key, "unknown key `" + key + "` in a link", "a link has only `id`, `template` and `slots`"));
      }
    }
    String id = text(node.get("id"), span, path + ".id", "the link's id, e.g. \"d1-bob\"", diags);
    String template = text(node.get("template"), span, path + ".template", "the @id of a template rule", diags);
    Map<String, EntityUid> slots = new LinkedHashMap<>();
    JsonNode s = node.get("slots");
    if (s == null || !s.isObject() || s.isEmpty()) {
      diags.add(bad(span, path + ".slots", "a link needs `slots`, an object with `principal` and/or `resource`",
          "write e.g. \"slots\": {\"principal\": {\"type\": \"User\", \"id\": \"bob\"}}"));
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String at = path + ".slots." + e.getKey();
        String name = e.getKey().startsWith("?") ? e.getKey().substring(1) : e.getKey();
        if (!name.equals("principal") && !name.equals("resource")) {
          diags.add(bad(span, at, "unknown slot `" + e.getKey() + "`", "templates have the slots `principal` and `resource`"));
          continue;
        }
        EntityUid uid = entity(e.getValue(), span, at, diags);
        if (uid != null) {
          slots.put(name, uid);
        }
      }
    }
    if (diags.size() == before) {
      out.add(new LinkRecord(new Link(id, template, slots), span, path));
    }
  }

  private static EntityUid entity(JsonNode v, Span span, String path, List<Diagnostic> diags) {
    if (v != null && v.isObject() && v.has("__entity")) {
      v = v.get("__entity");
      path = path + ".__entity";
    }
    if (v == null || !v.isObject() || !v.path("type").isTextual() || !v.path("id").isTextual() || v.size() != 2) {
      diags.add(bad(span, path, "a slot's value is an entity, `{\"type\": \"…\", \"id\": \"…\"}`",
          "write e.g. {\"type\": \"User\", \"id\": \"bob\"}"));
      return null;
    }
    String type = v.get("type").asText();
    String id = v.get("id").asText();
    if (!TYPE_NAME.matcher(type).matches() || type.length() > MAX_STRING_LENGTH) {
      diags.add(bad(span, path + ".type", "`" + type + "` is not a type name", "a type name is a word, e.g. \"User\""));
      return null;
    }
    if (id.length() > MAX_STRING_LENGTH) {
      diags.add(bad(span, path + ".id", "the id is longer than " + MAX_STRING_LENGTH + " characters", "use a shorter id"));
      return null;
    }
    return new EntityUid(type, id);
  }

  private static String text(JsonNode v, Span span, String path, String what, List<Diagnostic> diags) {
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      diags.add(bad(span, path, "`" + path.substring(path.lastIndexOf('.') + 1) + "` must be a non-empty string",
          "give " + what));
      return "";
    }
    if (v.asText().length() > MAX_STRING_LENGTH) {
      diags.add(bad(span, path, "longer than " + MAX_STRING_LENGTH + " characters", "use a shorter value"));
      return "";
    }
    return v.asText();
  }

  private static Diagnostic bad(Span span, String path, String message, String help) {
    return Diagnostic.of(Code.BAD_LINK, span, message, help).withJsonPath(path);
  }
}
