package dev.verdict.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * JSON in and out of the HTTP API, with the input bounds every body obeys: nesting, string,
 * name and number lengths, duplicate members refused (two parsers must never disagree on
 * which value counts), nothing after the document. Failures become {@code invalid_json}
 * errors naming where in the document they were found.
 */
public final class JsonCodec {
  public static final int MAX_DEPTH = 32;
  public static final int MAX_STRING_LENGTH = 64 * 1024;
  public static final int MAX_NAME_LENGTH = 1024;
  public static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper MAPPER = mapper();
  /** The same bounds, duplicates left to the caller: for {@link #streamingParser}. */
  private static final JsonFactory STREAMING = MAPPER.getFactory().rebuild()
      .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonCodec() {}

  private static ObjectMapper mapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
    return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  /** The body as a JSON object, or an {@code invalid_json} / {@code invalid_request} error. */
  public static ObjectNode parseObject(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the body is empty; send a JSON object");
    }
    JsonNode node = parse(body.getBytes());
    if (!node.isObject()) {
      throw ApiException.invalidAt("$", "the body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Any JSON document (object, array or value), or an {@code invalid_json} error; bounded as every body is. */
  public static JsonNode parseDocument(Buffer body) {
    return parse(body.getBytes());
  }

  /**
   * A streaming parser over {@code bytes[offset, offset + length)} (a body where it was
   * received; the parser's byte offsets count from {@code offset}) with the bounds every body
   * is read with (nesting, lengths), for bodies read on every request straight into what they
   * describe, without a tree. It does not refuse duplicate members (Jackson's check allocates a set for every
   * object of more than two members): the caller refuses them in the objects it reads member
   * by member, and reads any other object through {@link #readValue(byte[], int, int)}. The
   * caller also checks that nothing follows the document.
   */
  public static JsonParser streamingParser(byte[] bytes, int offset, int length) throws IOException {
    return STREAMING.createParser(bytes, offset, length);
  }

  /**
   * The JSON value in {@code bytes[offset, offset + length)} as a tree, read as
   * {@link #parseDocument} reads bodies (exact decimals, duplicate members refused); for the
   * parts of a streamed body that are kept as trees.
   */
  public static JsonNode readValue(byte[] bytes, int offset, int length) throws IOException {
    try (JsonParser p = MAPPER.createParser(bytes, offset, length)) {
      return MAPPER.readTree(p);
    }
  }

  static JsonNode parse(byte[] bytes) {
    JsonParser parser = null;
    try {
      parser = MAPPER.createParser(bytes);
      JsonNode node = MAPPER.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new ApiException(ErrorCode.INVALID_JSON, "the body is empty; send a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw invalid(e, parser);
    } catch (IOException e) {
      throw new ApiException(ErrorCode.INVALID_JSON, "the body could not be read as JSON");
    }
  }

  private static ApiException invalid(JsonProcessingException e, JsonParser parser) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    if (parser != null) {
      details.put("path", path(parser.getParsingContext()));
    }
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      details.put("line", e.getLocation().getLineNr());
      details.put("column", e.getLocation().getColumnNr());
    }
    return new ApiException(ErrorCode.INVALID_JSON, message(e), details);
  }

  /** Our own words: the library's messages name its classes and settings. */
  private static String message(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof StreamConstraintsException) {
      if (original.contains("nesting depth")) {
        return "JSON nested deeper than " + MAX_DEPTH + " levels";
      } else if (original.startsWith("String value length")) {
        return "a JSON string is longer than " + MAX_STRING_LENGTH + " characters";
      } else if (original.startsWith("Name length")) {
        return "a JSON member name is longer than " + MAX_NAME_LENGTH + " characters";
      } else if (original.startsWith("Number value length")) {
        return "a JSON number is longer than " + MAX_NUMBER_LENGTH + " characters";
      }
      return "the JSON document exceeds a size limit";
    }
    if (original.startsWith("Duplicate field")) {
      return "a member appears twice in one JSON object";
    }
    if (original.contains("end-of-input")) {
      return "the JSON document ends too early";
    }
    if (original.contains("Trailing token")) {
      return "there is more after the JSON document";
    }
    String first = original.lines().findFirst().orElse("malformed JSON");
    // Jackson names a bad character with its code point; keep that, drop anything technical.
    return "the body is not valid JSON: " + first.substring(0, 1).toLowerCase(Locale.ROOT)
        + first.substring(1).replace("(for Object starting at", "(for the object starting at");
  }

  /** {@code $.a.b[2]} for the place a parser stopped. */
  static String path(JsonStreamContext ctx) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      }
    }
    StringBuilder b = new StringBuilder("$");
    parts.forEach(b::append);
    return b.toString();
  }

  /** A tree as a JSON answer (native decisions, errors): written as {@link #write} writes, the same bytes. */
  public static Buffer encode(JsonNode node) {
    return write(g -> MAPPER.writeTree(g, node));
  }

  /** Writes one JSON document to a generator. */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator out) throws IOException;
  }

  /**
   * The document {@code writer} writes, streamed: for answers written on every request, which
   * would otherwise build a tree of nodes only to serialise it.
   */
  public static Buffer write(Writer writer) {
    // The generator writes into this thread's scratch array, and the answer's buffer is made once,
    // at its exact size: a 512-byte guess was mostly unused by a decision's 250 bytes, and a batch's
    // answer of 9 KB grew by doubling (and copying) to 16 KB.
    Scratch out = Scratch.take();
    try {
      out.writeAnswer(writer);
      return Buffer.buffer(out.length).appendBytes(out.bytes, 0, out.length);
    } catch (IOException e) {
      throw new IllegalStateException("a response could not be written as JSON", e);
    } finally {
      // whatever the writer threw: a scratch left in use would never be this thread's again
      out.giveBack();
    }
  }

  /**
   * A growable byte array kept per thread for {@link #write}, with the generator that writes into
   * it, so that writing an answer allocates only the answer: a generator made per answer cost its
   * own objects and took and gave back an 8,000-byte buffer every time (docs/benchmarks.md, "The
   * stack's floor"). Bounded: an array that grew past {@link #KEPT} bytes for a large answer is not
   * kept. A write within a write (not done today) gets an array and a generator of its own.
   */
  private static final class Scratch extends java.io.OutputStream {
    private static final int KEPT = 64 * 1024;
    private static final ThreadLocal<Scratch> MINE = new ThreadLocal<>();

    private byte[] bytes = new byte[1024];
    private int length;
    private boolean inUse;
    /** Kept between answers only while every answer it wrote ended back at the top level. */
    private JsonGenerator generator;

    static Scratch take() {
      Scratch s = MINE.get();
      if (s == null || s.inUse) {
        s = new Scratch();
        if (MINE.get() == null) {
          MINE.set(s);
        }
      }
      s.inUse = true;
      s.length = 0;
      return s;
    }

    /** One answer, whole, into {@link #bytes}. */
    void writeAnswer(Writer writer) throws IOException {
      JsonGenerator g = generator != null ? generator : newGenerator();
      generator = null; // given back below only if this answer leaves it as it found it
      writer.write(g);
      if (g.isClosed()) {
        return; // the writer closed it, which wrote what it held
      }
      if (g.getOutputContext().inRoot()) {
        // its write contexts hold the last answer's values until the next answer: one answer a thread
        g.flush();
        generator = g;
      } else {
        // what a generator closed per answer did: the open objects and arrays are closed
        g.close();
      }
    }

    private JsonGenerator newGenerator() throws IOException {
      JsonGenerator g = MAPPER.getFactory().createGenerator(this);
      // one document per answer: without this, every answer after a generator's first starts with a space
      g.setRootValueSeparator(null);
      return g;
    }

    void giveBack() {
      inUse = false;
      if (bytes.length > KEPT) {
        bytes = new byte[1024];
      }
    }

    @Override
    public void write(int b) {
      room(1);
      bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }

    private void room(int more) {
      if (length + more > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
