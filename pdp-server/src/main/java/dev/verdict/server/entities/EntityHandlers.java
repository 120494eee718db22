package dev.verdict.server.entities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.server.auth.AccessGuard;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.Responses;
import dev.verdict.server.policy.PolicyStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/entities}: put, patch, get and delete one record, list a type by pages, import and
 * export NDJSON. Writes need the {@code data} scope (or admin); each is one revision, logged
 * with its caller (uids and attribute names, never values: a record may hold sensitive data).
 */
public final class EntityHandlers {
  /** The largest record, as JSON, in bytes. */
  public static final int MAX_RECORD_BYTES = 64 * 1024;
  /** Lines of an import applied as one revision. */
  public static final int IMPORT_BATCH = 1000;
  /** Per-line errors an import reports before it stops listing them (it still counts them). */
  static final int MAX_REPORTED_ERRORS = 100;
  static final int MAX_PAGE = 1000;

  private final EntityStore entities;
  private final PolicyStore policies;
  private final EntityMetrics metrics;
  private final System.Logger audit;

  public EntityHandlers(EntityStore entities, PolicyStore policies, EntityMetrics metrics, System.Logger audit) {
    this.entities = entities;
    this.policies = policies;
    this.metrics = metrics;
    this.audit = audit;
  }

  private PolicySet set() {
    return policies.current().orElseThrow(() -> new ApiException(ErrorCode.POLICY_NOT_LOADED,
        "no policy set is loaded; entity records are checked against its schema")).set();
  }

  private static EntityUid uid(RoutingContext ctx) {
    return RecordCodec.checked(new EntityUid(ctx.pathParam("type"), ctx.pathParam("id")), "$.uid");
  }

  private static ObjectNode body(RoutingContext ctx) {
    Buffer b = ctx.body().buffer();
    if (b != null && b.length() > MAX_RECORD_BYTES) {
      throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "a record is at most " + MAX_RECORD_BYTES
          + " bytes of JSON; this one has " + b.length());
    }
    return JsonCodec.parseObject(b);
  }

  public void put(RoutingContext ctx) {
    EntityUid uid = uid(ctx);
    EntityData d = RecordCodec.read(body(ctx), uid, "$", set());
    write(ctx, List.of(new EntityChange.Put(d, RecordCodec.weight(d))), "put " + uid + " " + names(d), d);
  }

  /**
   * Merges attributes ({@code null} removes one) and, when given, replaces the parents. The
   * record is read and written back whole: of two patches at once the later wins.
   */
  public void patch(RoutingContext ctx) {
    EntityUid uid = uid(ctx);
    ObjectNode body = body(ctx);
    EntityData before = entities.get(uid).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
        "no record " + uid + " in the entity store; create it with PUT"));
    ObjectNode merged = RecordCodec.write(before);
    merged.remove("uid");
    JsonNode attrs = body.get("attrs");
    if (attrs != null && !attrs.isObject()) {
      throw ApiException.invalidAt("$.attrs", "`attrs` is an object: a value sets an attribute, null removes it");
    }
    if (attrs != null) {
      ObjectNode target = (ObjectNode) merged.get("attrs");
      for (Map.Entry<String, JsonNode> e : attrs.properties()) {
        if (e.getValue().isNull()) {
          target.remove(e.getKey());
        } else {
          target.set(e.getKey(), e.getValue());
        }
      }
    }
    if (body.has("parents")) {
      merged.set("parents", body.get("parents"));
    }
    for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("attrs") && !f.equals("parents")) {
        throw ApiException.invalidAt("$." + f, "unknown member `" + f + "`; a patch has `attrs` and `parents`");
      }
    }
    EntityData d = RecordCodec.read(merged, uid, "$", set());
    write(ctx, List.of(new EntityChange.Put(d, RecordCodec.weight(d))), "patch " + uid + " " + names(d), d);
  }

  public void get(RoutingContext ctx) {
    EntityUid uid = uid(ctx);
    EntityData d = entities.get(uid).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
        "no record " + uid + " in the entity store"));
    ObjectNode out = RecordCodec.write(d);
    out.put("revision", Long.toString(entities.revision()));
    Responses.json(ctx, 200, out);
  }

  public void delete(RoutingContext ctx) {
    EntityUid uid = uid(ctx);
    boolean existed = entities.get(uid).isPresent();
    write(ctx, List.of(new EntityChange.Delete(uid)), "delete " + uid, null, existed);
  }

  public void list(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    int limit = intParam(ctx, "limit", 100);
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiException.invalidAt("limit", "`limit` is between 1 and " + MAX_PAGE);
    }
    String after = ctx.queryParams().get("after");
    List<EntityData> page = entities.list(type, after, limit + 1);
    ObjectNode out = JsonCodec.object();
    ArrayNode items = out.putArray("entities");
    page.stream().limit(limit).forEach(d -> items.add(RecordCodec.write(d)));
    if (page.size() > limit) {
      out.put("next", page.get(limit - 1).uid().id());
    } else {
      out.putNull("next");
    }
    out.put("revision", Long.toString(entities.revision()));
    Responses.json(ctx, 200, out);
  }

  private static int intParam(RoutingContext ctx, String name, int dflt) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.invalidAt(name, "`" + name + "` is a whole number");
    }
  }

  /** NDJSON of every record (or of {@code ?type=}), by type and id, streamed. */
  public void export(RoutingContext ctx) {
    String type = ctx.queryParams().get("type");
    HttpServerResponse r = ctx.response();
    r.setChunked(true).putHeader("Content-Type", "application/x-ndjson")
        .putHeader("X-Verdict-Revision", Long.toString(entities.revision()));
    Buffer[] chunk = {Buffer.buffer(64 * 1024)};
    entities.forEach(d -> {
      if (type == null || d.uid().type().equals(type)) {
        chunk[0].appendString(RecordCodec.write(d).toString()).appendByte((byte) '\n');
        if (chunk[0].length() >= 60 * 1024) {
          r.write(chunk[0]);
          chunk[0] = Buffer.buffer(64 * 1024);
        }
      }
    });
    r.end(chunk[0]);
  }

  /**
   * NDJSON records, read as they arrive (never whole in memory): each line a record in the
   * data-file shape. Lines are applied {@value #IMPORT_BATCH} at a time, each batch one
   * revision; a line that does not read (bad JSON, a value that does not fit the schema) is
   * reported with its line number and left out, the rest of its batch is applied. A batch the
   * store has no room for is refused whole, and the import stops there (507).
   */
  public void importNdjson(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    PolicySet set = set();
    HeldStream body = new HeldStream(req);
    Import state = new Import(ctx, body, set, AccessGuard.caller(ctx).name());
    RecordParser lines = RecordParser.newDelimited("\n", body);
    lines.maxRecordSize(MAX_RECORD_BYTES);
    lines.exceptionHandler(e -> state.fail(new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
        "line " + (state.line + 1) + " is longer than " + MAX_RECORD_BYTES + " bytes; a record is at most that")));
    lines.handler(state::line);
    lines.endHandler(v -> state.finish());
    req.resume();
  }

  private final class Import {
    final RoutingContext ctx;
    /** Held while a batch is written, so that lines arrive no faster than the store takes them. */
    final HeldStream body;
    final PolicySet set;
    final String caller;
    long line;
    long loaded;
    long failed;
    long revision = entities.revision();
    final ArrayNode errors = JsonCodec.object().arrayNode();
    final Map<EntityUid, EntityChange> batch = new LinkedHashMap<>();
    /**
     * Full batches waiting for the one being written: one at most but for the lines of a chunk
     * that was on its way when the body was held; one write at a time, in order.
     */
    final java.util.ArrayDeque<List<EntityChange>> queued = new java.util.ArrayDeque<>();
    boolean done;
    /** A batch is being written (the body is paused meanwhile). */
    boolean writing;
    /** The body has ended; the answer waits for the batch being written. */
    boolean ended;

    Import(RoutingContext ctx, HeldStream body, PolicySet set, String caller) {
      this.ctx = ctx;
      this.body = body;
      this.set = set;
      this.caller = caller;
    }

    void line(Buffer b) {
      line++;
      if (done) {
        return;
      }
      String text = b.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return;
      }
      try {
        JsonNode node = JsonCodec.parseObject(Buffer.buffer(text));
        EntityUid uid = RecordCodec.uidOf(node, "$");
        EntityData d = RecordCodec.read(node, uid, "$", set);
        batch.put(uid, new EntityChange.Put(d, RecordCodec.weight(d)));
      } catch (ApiException e) {
        failed++;
        if (errors.size() < MAX_REPORTED_ERRORS) {
          ObjectNode o = errors.addObject();
          o.put("line", line);
          o.put("message", e.getMessage());
          JsonNode path = e.details().get("path");
          if (path != null) {
            o.set("path", path);
          }
        }
      }
      if (batch.size() >= IMPORT_BATCH) {
        queued.add(new ArrayList<>(batch.values()));
        batch.clear();
        writeNext();
      }
    }

    /** Writes the next queued batch unless one is being written; answers once all are and the body ended. */
    void writeNext() {
      if (writing || done) {
        return;
      }
      List<EntityChange> changes = queued.poll();
      if (changes == null) {
        if (ended) {
          answer();
        }
        return;
      }
      writing = true;
      body.hold();
      entities.write(changes).whenComplete((rev, err) -> ctx.vertx().runOnContext(v -> {
        writing = false;
        if (err != null) {
          fail(cause(err));
          return;
        }
        loaded += changes.size();
        revision = rev;
        audit.log(Level.INFO, "entity store: import of " + changes.size() + " records by " + caller
            + " at revision " + rev);
        if (!queued.isEmpty()) {
          writeNext();
        } else if (ended) {
          finish();
        } else {
          body.release();
        }
      }));
    }

    /** The body ended: the last, partial batch is written after those before it, then the answer. */
    void finish() {
      ended = true;
      if (done || writing) {
        return;
      }
      if (!batch.isEmpty()) {
        queued.add(new ArrayList<>(batch.values()));
        batch.clear();
      }
      writeNext();
    }

    void fail(Throwable t) {
      if (done) {
        return;
      }
      done = true;
      ApiException e = asApi(t);
      ObjectNode details = e.details();
      details.put("loaded", loaded);
      details.put("failed", failed);
      details.put("line", line);
      details.put("revision", Long.toString(revision));
      details.set("errors", errors);
      Responses.error(ctx, new ApiException(e.code(), e.getMessage(), details));
      body.release(); // drain what is left; the connection is answered
    }

    void answer() {
      done = true;
      ObjectNode out = JsonCodec.object();
      out.put("loaded", loaded);
      out.put("failed", failed);
      out.put("revision", Long.toString(revision));
      out.set("errors", errors);
      Responses.json(ctx, 200, out);
    }
  }

  private void write(RoutingContext ctx, List<EntityChange> changes, String what, EntityData d) {
    write(ctx, changes, what, d, true);
  }

  private void write(RoutingContext ctx, List<EntityChange> changes, String what, EntityData d, boolean existed) {
    String caller = AccessGuard.caller(ctx).name();
    entities.write(changes).whenComplete((rev, err) -> ctx.vertx().runOnContext(v -> {
      if (err != null) {
        Responses.error(ctx, asApi(cause(err)));
        return;
      }
      audit.log(Level.INFO, "entity store: " + what + " by " + caller + " at revision " + rev);
      ObjectNode out = d == null ? JsonCodec.object() : RecordCodec.write(d);
      if (d == null) {
        out.set("uid", RecordCodec.uid(changes.get(0).uid()));
        out.put("deleted", existed);
      }
      out.put("revision", Long.toString(rev));
      ctx.response().putHeader("X-Verdict-Revision", Long.toString(rev));
      Responses.json(ctx, 200, out);
    }));
  }

  private ApiException asApi(Throwable t) {
    if (t instanceof ApiException a) {
      return a;
    }
    if (t instanceof StoreFull f) {
      metrics.refused();
      return new ApiException(ErrorCode.STORE_FULL, f.getMessage());
    }
    audit.log(Level.WARNING, "entity store: a write failed: " + t);
    return new ApiException(ErrorCode.OVERLOADED, "the entity store did not take the write: " + t.getMessage());
  }

  static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** The attribute names of {@code d}, never their values (a record may hold sensitive data). */
  private static String names(EntityData d) {
    return "attrs " + new java.util.TreeSet<>(d.attrs().keySet()) + ", " + d.parents().size() + " parents";
  }
}
