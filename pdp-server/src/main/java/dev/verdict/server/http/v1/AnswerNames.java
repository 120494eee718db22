package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.verdict.lang.eval.Decision;

/**
 * The words every AuthZEN answer repeats, encoded as JSON once instead of per answer: member
 * names, outcome words, and the policy version (the same for every answer until the set is
 * reloaded: the last one is kept, one at a time).
 */
final class AnswerNames {
  static final SerializableString DECISION = encoded("decision");
  static final SerializableString CONTEXT = encoded("context");
  static final SerializableString DECISION_ID = encoded("decision_id");
  static final SerializableString OUTCOME = encoded("outcome");
  static final SerializableString REASONS = encoded("reasons");
  static final SerializableString OBLIGATIONS = encoded("obligations");
  static final SerializableString TYPE = encoded("type");
  static final SerializableString FIELD_MASK = encoded("field-mask");
  static final SerializableString FIELDS = encoded("fields");
  static final SerializableString READ = encoded("read");
  static final SerializableString WRITE = encoded("write");
  static final SerializableString ERRORS = encoded("errors");
  static final SerializableString RULE = encoded("rule");
  static final SerializableString MESSAGE = encoded("message");
  static final SerializableString RATE = encoded("rate");
  static final SerializableString POLICY_VERSION = encoded("policy_version");
  static final SerializableString INTENT = encoded("intent");
  static final SerializableString NAME = encoded("name");
  static final SerializableString LIMIT = encoded("limit");
  static final SerializableString REMAINING = encoded("remaining");
  static final SerializableString RESET = encoded("reset");
  static final SerializableString RETRY_AFTER = encoded("retry_after");
  static final SerializableString UNAVAILABLE = encoded("unavailable");
  static final SerializableString ERROR = encoded("error");
  static final SerializableString STATUS = encoded("status");
  static final SerializableString CODE = encoded("code");
  static final SerializableString PATH = encoded("path");
  static final SerializableString EVALUATIONS = encoded("evaluations");

  private static final SerializableString[] OUTCOMES = outcomes();
  /** The last policy version written; a reload replaces it, so there is never more than one. */
  private static volatile SerializableString lastVersion = encoded("");

  private AnswerNames() {}

  static SerializableString outcome(Decision.Outcome outcome) {
    return OUTCOMES[outcome.ordinal()];
  }

  static SerializableString policyVersion(String version) {
    SerializableString last = lastVersion;
    // the same string object for every decision of a snapshot: equals returns at its identity check
    if (last.getValue().equals(version)) {
      return last;
    }
    last = encoded(version);
    lastVersion = last;
    return last;
  }

  private static SerializableString[] outcomes() {
    Decision.Outcome[] all = Decision.Outcome.values();
    SerializableString[] words = new SerializableString[all.length];
    for (Decision.Outcome o : all) {
      words[o.ordinal()] = encoded(o.word());
    }
    return words;
  }

  /**
   * Encoded now, before the string is shared: {@link SerializedString} fills its bytes lazily in a
   * plain field, which another thread could see before the bytes it points to.
   */
  private static SerializableString encoded(String text) {
    SerializedString s = new SerializedString(text);
    s.asQuotedUTF8();
    return s;
  }
}
