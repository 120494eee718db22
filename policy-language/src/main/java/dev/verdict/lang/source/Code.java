package dev.verdict.lang.source;

/**
 * Every diagnostic Verdict can report, with a stable code. Codes are never reused or
 * renumbered; each is documented with an example and its fix in {@code docs/errors.md}.
 *
 * <p>Ranges: V01xx input files, V02xx syntax, V03xx names, V04xx schema and types, V05xx
 * routes, V06xx limits, V07xx field rules, V08xx entity data files, V09xx tests, V10xx
 * warnings about rules that cannot matter, V15xx templates and links, V16xx per-action shapes.
 */
public enum Code {
  // ---- input files
  FILE_TOO_LARGE("V0101", Severity.ERROR, "file too large"),
  INVALID_UTF8("V0102", Severity.ERROR, "file is not valid UTF-8"),
  NUL_BYTE("V0103", Severity.ERROR, "file contains a NUL byte"),
  UNREADABLE("V0104", Severity.ERROR, "file or directory cannot be read"),
  NO_POLICIES("V0105", Severity.ERROR, "no policy files found"),
  NOT_FOUND("V0106", Severity.ERROR, "path does not exist"),
  SYMLINK_LOOP("V0107", Severity.ERROR, "symbolic link loop"),
  TOO_DEEP("V0108", Severity.ERROR, "expression nested too deeply"),
  TOO_MANY_FILES("V0109", Severity.ERROR, "policy set too large"),
  NOT_A_POLICY_FILE("V0110", Severity.ERROR, "not a policy file"),

  // ---- syntax
  SYNTAX("V0201", Severity.ERROR, "syntax error"),
  UNTERMINATED_STRING("V0202", Severity.ERROR, "unterminated string"),
  BAD_CHARACTER("V0203", Severity.ERROR, "unexpected character"),
  BAD_ESCAPE("V0204", Severity.ERROR, "invalid escape sequence"),
  BAD_NUMBER("V0205", Severity.ERROR, "invalid number"),
  BAD_DURATION("V0206", Severity.ERROR, "invalid duration"),
  UNTERMINATED_COMMENT("V0207", Severity.ERROR, "unterminated block comment"),
  BAD_ANNOTATION("V0208", Severity.ERROR, "invalid annotation"),
  BAD_TYPE("V0209", Severity.ERROR, "invalid type"),

  // ---- names
  DUPLICATE("V0301", Severity.ERROR, "duplicate name"),
  UNKNOWN_ROLE("V0302", Severity.ERROR, "unknown role"),
  UNKNOWN_ACTION("V0303", Severity.ERROR, "unknown action"),
  UNKNOWN_ATTRIBUTE("V0304", Severity.ERROR, "unknown attribute"),
  UNKNOWN_TYPE("V0305", Severity.ERROR, "unknown entity type"),
  UNKNOWN_FUNCTION("V0306", Severity.ERROR, "unknown function"),
  WRONG_ARITY("V0307", Severity.ERROR, "wrong number of arguments"),
  ACTION_GROUP_CYCLE("V0308", Severity.ERROR, "action group contains itself"),
  UNKNOWN_INTENT("V0309", Severity.ERROR, "unknown intent"),
  RESERVED_NAME("V0310", Severity.ERROR, "reserved name"),
  UNKNOWN_NAMESPACE("V0311", Severity.ERROR, "unknown namespace"),

  // ---- schema and types
  TYPE_MISMATCH("V0401", Severity.ERROR, "type mismatch"),
  WRONG_OPERAND("V0402", Severity.ERROR, "operator applied to the wrong type"),
  MISSING_HAS_GUARD("V0403", Severity.ERROR, "optional attribute read without a `has` guard"),
  BAD_LITERAL("V0404", Severity.ERROR, "invalid literal"),
  NOT_BOOLEAN("V0405", Severity.ERROR, "condition is not a boolean"),
  ENTITY_HIERARCHY("V0406", Severity.ERROR, "invalid entity hierarchy"),

  // ---- routes
  BAD_ROUTE_TEMPLATE("V0501", Severity.ERROR, "malformed route template"),
  OVERLAPPING_ROUTES("V0502", Severity.ERROR, "overlapping routes"),
  UNKNOWN_ROUTE_PARAM("V0503", Severity.ERROR, "unknown route parameter"),
  BAD_METHOD("V0504", Severity.ERROR, "invalid HTTP method"),
  BAD_FIXED_ROUTE_ID("V0505", Severity.ERROR, "empty fixed route id"),

  // ---- limits
  BAD_RATE("V0601", Severity.ERROR, "rate makes no sense"),
  UNREACHABLE_LIMIT_LINE("V0602", Severity.WARNING, "limit line can never be chosen"),
  EMPTY_LIMIT("V0603", Severity.ERROR, "limit has no rate line"),
  BAD_FAIL_MODE("V0604", Severity.ERROR, "unknown `on unavailable` mode"),
  WINDOW_TOO_LARGE("V0605", Severity.ERROR, "window limit too large"),

  // ---- field rules
  UNKNOWN_FIELD("V0701", Severity.ERROR, "unknown field path"),
  BAD_FIELD_EFFECT("V0702", Severity.ERROR, "effect not allowed here"),
  BAD_PARTIAL("V0703", Severity.ERROR, "invalid partial length"),
  FIELD_ACTION_NEVER_ALLOWED("V0704", Severity.WARNING, "field rules for an action no permit allows"),

  // ---- entity data files
  BAD_JSON("V0801", Severity.ERROR, "malformed entity data"),
  DATA_UNKNOWN_TYPE("V0802", Severity.ERROR, "entity of unknown type"),
  DATA_UNKNOWN_ATTRIBUTE("V0803", Severity.ERROR, "unknown attribute in entity data"),
  DATA_BAD_PARENT("V0804", Severity.ERROR, "parent of a type that cannot contain the entity"),
  DATA_CYCLE("V0805", Severity.ERROR, "cycle in the entity hierarchy"),
  DATA_TYPE_MISMATCH("V0806", Severity.ERROR, "attribute value of the wrong type"),
  DATA_DUPLICATE("V0807", Severity.ERROR, "entity defined twice"),
  DATA_TOO_DEEP("V0808", Severity.ERROR, "entity hierarchy too deep"),

  // ---- tests
  BAD_TEST("V0901", Severity.ERROR, "incomplete or inconsistent test"),
  UNROUTED_TEST_REQUEST("V0902", Severity.ERROR, "test request matches no route"),

  // ---- warnings about rules that cannot matter
  SHADOWED_RULE("V1001", Severity.WARNING, "rule can never apply"),
  UNUSED_ROLE("V1002", Severity.WARNING, "role is never used"),
  CONSTANT_CONDITION("V1003", Severity.WARNING, "condition is always the same"),
  COLLECTION_RESOURCE_ATTRIBUTE("V1004", Severity.WARNING, "resource attribute read on a collection route"),

  // ---- templates and links (V15xx: V10xx was already the warnings' range)
  TEMPLATE_WITHOUT_ID("V1501", Severity.ERROR, "template has no id"),
  MISPLACED_SLOT("V1502", Severity.ERROR, "slot outside a template condition"),
  BAD_LINK("V1503", Severity.ERROR, "malformed link"),
  UNKNOWN_TEMPLATE("V1504", Severity.ERROR, "link to an unknown template"),
  LINK_SLOT_MISMATCH("V1505", Severity.ERROR, "link slots do not fit the template"),
  DUPLICATE_LINK("V1506", Severity.ERROR, "link id used twice"),

  // ---- per-action shapes: `action transfer { principal: …  resource: …  context { … } }`
  ACTION_CONTEXT_CLASH("V1601", Severity.ERROR, "action context attribute clashes with the global context"),
  ACTION_DOES_NOT_APPLY("V1602", Severity.ERROR, "action does not apply to this type"),
  BAD_ACTION_SHAPE("V1603", Severity.ERROR, "invalid action declaration"),
  TEST_DOES_NOT_FIT_ACTION("V1604", Severity.ERROR, "test does not fit its action's shape");

  private final String id;
  private final Severity severity;
  private final String title;

  Code(String id, Severity severity, String title) {
    this.id = id;
    this.severity = severity;
    this.title = title;
  }

  /** The stable identifier, e.g. {@code V0304}. */
  public String id() {
    return id;
  }

  public Severity severity() {
    return severity;
  }

  /** A short lower-case description, used as the heading in {@code docs/errors.md}. */
  public String title() {
    return title;
  }
}
