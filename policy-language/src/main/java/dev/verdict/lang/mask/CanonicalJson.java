package dev.verdict.lang.mask;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One text per JSON value, so that equal values hash alike whatever their formatting: no
 * whitespace, object members sorted by name (UTF-16 code units, as RFC 8785), strings with
 * only {@code "}, {@code \} and control characters escaped, numbers as plain decimals with no
 * exponent and no trailing zeros ({@code 1.50}, {@code 15e-1} and {@code 1.5} are all
 * {@code 1.5}; {@code -0} is {@code 0}).
 */
final class CanonicalJson {

  private CanonicalJson() {}

  static String write(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b);
    return b.toString();
  }

  private static void write(JsonNode node, StringBuilder b) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      b.append("null");
    } else if (node.isTextual()) {
      string(node.textValue(), b);
    } else if (node.isBoolean()) {
      b.append(node.booleanValue());
    } else if (node.isNumber()) {
      b.append(number(node));
    } else if (node.isArray()) {
      b.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(node.get(i), b);
      }
      b.append(']');
    } else if (node.isObject()) {
      List<String> names = new ArrayList<>(node.size());
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      Collections.sort(names);
      b.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        string(names.get(i), b);
        b.append(':');
        write(node.get(names.get(i)), b);
      }
      b.append('}');
    } else {
      // Binary and POJO nodes never come from parsed JSON; their text form is still stable.
      string(node.asText(), b);
    }
  }

  /** A number as a plain decimal without exponent or trailing zeros. */
  static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    BigDecimal d = node.decimalValue();
    if (d.signum() == 0) {
      return "0";
    }
    return d.stripTrailingZeros().toPlainString();
  }

  private static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
