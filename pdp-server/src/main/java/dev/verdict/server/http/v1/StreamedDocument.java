package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.AttributeMap;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.types.Numbers;
import dev.verdict.server.http.JsonCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One body being read by a streaming reader ({@link AuthZenReader}, {@link DecisionsReader}):
 * the parser, the bytes (parts kept as trees are read again from them), the declarations its
 * values are typed by, and one scratch stack that the names and values of the maps and sets
 * being read are collected on, so that they are made at once in their final shape. The readers
 * add what their wire format's objects hold.
 *
 * <p>The streaming parser leaves duplicate members to its caller. The objects of fixed members
 * note the members they know by a bit each ({@link #seen}), and only the names of others, which
 * are rare, in {@link MemberNames}; the maps of attributes are refused by the map itself
 * ({@link AttributeMap}) when two of their pairs share a name, and checked name by name only when
 * they have a member that makes no pair (a null, {@code parents}).
 *
 * <p>A reader reads only what it can read exactly as the tree it stands in front of reads it;
 * anything else makes it give up ({@link GiveUp}), and the caller reads the body again as a
 * tree, which reports the error as it always has.
 */
class StreamedDocument {
  /** The reader gives up: the tree will say why. Thrown without a stack trace. */
  static final class GiveUp extends Exception {
    private GiveUp() {
      super(null, null, false, false);
    }
  }

  static final GiveUp GIVE_UP = new GiveUp();

  /**
   * Where the values being typed are said to be, for the messages of values that do not fit:
   * never shown, since such a value makes the reader give up and the tree reports it with its
   * path. A path spelt out for each entity would cost a string per entity on every request.
   */
  static final String UNSHOWN = "$";

  /** Whether every long (at most 19 digits) is within the bounds on numbers: then they need no counting. */
  private static final boolean LONGS_IN_BOUNDS = Numbers.MAX_DIGITS >= 19;

  /** What {@link #member} says when the object has ended. */
  static final int END = -1;
  /** What {@link #member} says for a member the object does not know; its name is the parser's current name. */
  static final int OTHER = -2;

  /** Where a map's member without a value (a null, {@code parents}) keeps its name's place on the scratch stack. */
  static final Object NO_VALUE = new Object();

  static SerializableString[] names(String... names) {
    SerializableString[] out = new SerializableString[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = new SerializedString(names[i]);
    }
    return out;
  }

  final JsonParser p;
  private final byte[] bytes;
  /** Where the body starts in {@link #bytes}: the parser counts its offsets from there. */
  private final int offset;
  final ValueTypes types;
  /** The names of members no object here knows; made at the first. */
  private MemberNames others;
  Object[] scratch = new Object[16];
  /** The parents of the entity being read ({@link #entityStart}, {@link #attribute}). */
  private List<EntityUid> parents = List.of();
  private boolean parentsGiven;
  int top;

  StreamedDocument(JsonParser p, byte[] bytes, int offset, ValueTypes types) {
    this.p = p;
    this.bytes = bytes;
    this.offset = offset;
    this.types = types;
  }

  void push(Object o) {
    if (top == scratch.length) {
      scratch = Arrays.copyOf(scratch, top * 2);
    }
    scratch[top++] = o;
  }

  /**
   * The next member of an object of the members {@code known} (the first {@code usual} of them
   * usually written in that order, this one usually the {@code i}th): its place in
   * {@code known}, {@link #OTHER} or {@link #END}. The parser is left on the member's name.
   */
  int member(SerializableString[] known, int usual, int i) throws IOException {
    if (i < usual) {
      if (p.nextFieldName(known[i])) {
        return i;
      }
      if (p.currentToken() != JsonToken.FIELD_NAME) {
        return END;
      }
    } else if (p.nextToken() != JsonToken.FIELD_NAME) {
      return END;
    }
    String name = p.currentName();
    for (int k = 0; k < known.length; k++) {
      if (known[k].getValue().equals(name)) {
        return k;
      }
    }
    return OTHER;
  }

  /**
   * {@code seen} with the member {@code m} (a place in its object's known members, or
   * {@link #OTHER}) noted; refused when the object named it already. {@code seen}'s top bit
   * tells that the object's other members have their own names on {@link #others}.
   */
  int seen(int seen, int m) throws IOException, GiveUp {
    if (m != OTHER) {
      if ((seen & (1 << m)) != 0) {
        throw GIVE_UP;
      }
      return seen | (1 << m);
    }
    if (others == null) {
      others = new MemberNames();
    }
    if (seen >= 0) {
      others.open();
      seen |= Integer.MIN_VALUE;
    }
    if (!others.add(p.currentName())) {
      throw GIVE_UP;
    }
    return seen;
  }

  /**
   * An entity's reading starts: its attributes go on the scratch stack from the place this
   * answers (give it to {@link #entityOf}), and it has no parents until {@link #attribute} reads them.
   */
  int entityStart() {
    parents = List.of();
    parentsGiven = false;
    return top;
  }

  /**
   * The attribute {@code name} of the entity being read, the parser on its value's first token
   * {@code t}: pushed with its value, typed by {@code declared} (null: as read), or with no value
   * when it is written null (left out) or is {@code parents}, which states the entity's parents.
   * Its name is pushed either way, so that a name given twice is found. Answers whether it made
   * no pair (then {@link #entityOf} checks the names one by one).
   */
  boolean attribute(String name, JsonToken t, ValueTypes.AttributeTypes declared) throws IOException, GiveUp {
    push(name);
    if (t == JsonToken.VALUE_NULL) {
      push(NO_VALUE);
      return true;
    }
    if (name.equals("parents")) {
      push(NO_VALUE);
      parentsGiven = true;
      parents = uids();
      return true;
    }
    push(declared == null ? value() : typed(declared, name, value()));
    return false;
  }

  /**
   * The entity whose attributes were pushed since {@code from} ({@link #entityStart}), typed as
   * read ({@code typedAsRead}) or now by its type's declarations; refused without a type or an id.
   */
  EntityData entityOf(String type, String id, int from, boolean unpaired, boolean typedAsRead) throws GiveUp {
    Map<String, Value> attrs = map(from, unpaired);
    if (type == null || id == null) {
      throw GIVE_UP;
    }
    try {
      return new EntityData(new EntityUid(type, id), typedAsRead ? attrs : types.attributes(type, attrs, UNSHOWN),
          parents, parentsGiven);
    } catch (Values.JsonValueException x) {
      throw GIVE_UP;
    }
  }

  /** The object whose members {@code seen} noted has ended. */
  void ended(int seen) {
    if (seen < 0) {
      others.close();
    }
  }

  /** {@code v}, read for the attribute {@code name}, as {@code declared} types it; a value that does not fit gives up. */
  static Value typed(ValueTypes.AttributeTypes declared, String name, Value v) throws GiveUp {
    try {
      return declared.value(name, v, UNSHOWN);
    } catch (Values.JsonValueException x) {
      throw GIVE_UP;
    }
  }

  /**
   * The map of the pairs pushed since {@code from}, which are taken off the stack; refused when
   * two members share a name. {@code unpaired}: some names were pushed with {@link #NO_VALUE},
   * to be checked against the others and left out.
   */
  Map<String, Value> map(int from, boolean unpaired) throws GiveUp {
    int to = top;
    top = from;
    if (unpaired) {
      Set<Object> names = new HashSet<>();
      int kept = from;
      for (int i = from; i < to; i += 2) {
        if (!names.add(scratch[i])) {
          throw GIVE_UP;
        }
        if (scratch[i + 1] != NO_VALUE) {
          scratch[kept++] = scratch[i];
          scratch[kept++] = scratch[i + 1];
        }
      }
      to = kept;
    }
    try {
      return AttributeMap.ofPairs(scratch, from, to);
    } catch (IllegalArgumentException twice) {
      throw GIVE_UP;
    }
  }

  List<EntityUid> uids() throws IOException, GiveUp {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw GIVE_UP;
    }
    List<EntityUid> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      try {
        out.add(Values.uid(tree(), "$"));
      } catch (Values.JsonValueException e) {
        throw GIVE_UP;
      }
    }
    return out;
  }

  /** The context's attributes, typed as {@code types} declares them. */
  Map<String, Value> context() throws IOException, GiveUp {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw GIVE_UP;
    }
    int from = top;
    boolean unpaired = false;
    ValueTypes.AttributeTypes declared = types.contextAttributes();
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      if (name.equals("__entity")) {
        throw GIVE_UP; // perhaps an entity reference where attributes belong: the tree says which
      }
      push(name);
      if (p.nextToken() == JsonToken.VALUE_NULL) {
        unpaired = true;
        push(NO_VALUE);
      } else {
        push(declared == null ? value() : typed(declared, name, value()));
      }
    }
    // typed as read: what ValueTypes.context would make of them
    return map(from, unpaired);
  }

  /**
   * The value the parser stands on, as {@link Values#fromJson} reads it: strings, booleans,
   * integers and arrays of them here; decimals and objects (rare in requests) through their tree.
   */
  Value value() throws IOException, GiveUp {
    switch (p.currentToken()) {
      case VALUE_STRING:
        return new Value.Str(p.getText());
      case VALUE_TRUE:
        return Value.Bool.TRUE;
      case VALUE_FALSE:
        return Value.Bool.FALSE;
      case VALUE_NUMBER_INT:
        if (LONGS_IN_BOUNDS && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          return new Value.Num(BigDecimal.valueOf(p.getLongValue()));
        }
        BigDecimal d = new BigDecimal(p.getBigIntegerValue());
        if (!Numbers.inBounds(d)) {
          throw GIVE_UP;
        }
        return new Value.Num(d);
      case START_ARRAY:
        int from = top;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (p.currentToken() == JsonToken.VALUE_NULL) {
            throw GIVE_UP;
          }
          push(value());
        }
        Value[] items = Arrays.copyOfRange(scratch, from, top, Value[].class);
        top = from;
        return new Value.SetOf(Values.setOf(items));
      default:
        try {
          return Values.fromJson(tree(), "$");
        } catch (Values.JsonValueException e) {
          throw GIVE_UP;
        }
    }
  }

  /**
   * The value the parser stands on as a tree, read again from its bytes by the parser that
   * refuses duplicate members; the parser is left on its last token.
   */
  JsonNode tree() throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
      byte[] text = p.getText().getBytes(StandardCharsets.US_ASCII);
      return JsonCodec.readValue(text, 0, text.length);
    }
    int from = Math.toIntExact(p.currentTokenLocation().getByteOffset());
    p.skipChildren();
    int to = Math.toIntExact(p.currentLocation().getByteOffset());
    return JsonCodec.readValue(bytes, offset + from, to - from);
  }

  /** A member no one reads: an object in it must still not name a member twice. */
  void skip() throws IOException {
    if (p.currentToken().isStructStart()) {
      tree();
    }
  }
}
