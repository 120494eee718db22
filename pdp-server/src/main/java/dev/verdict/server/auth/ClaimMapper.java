package dev.verdict.server.auth;

import static dev.verdict.server.auth.TokenRejected.Reason.MALFORMED;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads roles and principal attributes out of verified claims. A claim is named either by its
 * whole name (so that namespaced claims such as {@code https://example.com/roles} work) or, when
 * no claim has that name, by a dotted path into nested objects ({@code realm_access.roles}).
 */
final class ClaimMapper {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final String rolesClaim;
  private final Map<String, String> attributeClaims;
  private final Map<String, String> contextClaims;

  ClaimMapper(JwtConfig config) {
    this.rolesClaim = config.rolesClaim();
    this.attributeClaims = config.attributeClaims();
    this.contextClaims = config.contextClaims();
  }

  /**
   * Roles: a string is a space-separated list (as in OAuth {@code scope}), an array must hold
   * only strings. A roles claim of any other shape refuses the token: reading it as "no roles"
   * could slip past a {@code forbid} written for a role.
   */
  Set<String> roles(JsonNode claims) throws TokenRejected {
    JsonNode v = lookup(claims, rolesClaim);
    Set<String> roles = new LinkedHashSet<>();
    if (v == null || v.isNull()) {
      return roles;
    }
    if (v.isTextual()) {
      addWords(roles, v.textValue());
    } else if (v.isArray()) {
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          throw badRoles();
        }
        if (!item.textValue().isBlank()) {
          roles.add(item.textValue().strip());
        }
      }
    } else {
      throw badRoles();
    }
    return roles;
  }

  /** The mapped claims that are present, as policy values by attribute name. */
  Map<String, Value> attributes(JsonNode claims) throws TokenRejected {
    return mapped(claims, attributeClaims);
  }

  /** The claims mapped to context attributes that are present, by context attribute name. */
  Map<String, Value> context(JsonNode claims) throws TokenRejected {
    return mapped(claims, contextClaims);
  }

  private static Map<String, Value> mapped(JsonNode claims, Map<String, String> mapping) throws TokenRejected {
    Map<String, Value> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : mapping.entrySet()) {
      JsonNode v = lookup(claims, e.getKey());
      if (v == null || v.isNull()) {
        continue;
      }
      try {
        out.put(e.getValue(), Values.fromJson(v, e.getValue()));
      } catch (Values.JsonValueException ex) {
        throw new TokenRejected(MALFORMED, "claim `" + e.getKey() + "` cannot be an attribute: " + ex.getMessage());
      }
    }
    return out;
  }

  private TokenRejected badRoles() {
    return new TokenRejected(MALFORMED, "claim `" + rolesClaim + "` must be a string or an array of strings");
  }

  private static void addWords(Set<String> roles, String text) {
    for (String w : WHITESPACE.split(text.strip())) {
      if (!w.isEmpty()) {
        roles.add(w);
      }
    }
  }

  static JsonNode lookup(JsonNode claims, String path) {
    JsonNode whole = claims.get(path);
    if (whole != null || path.indexOf('.') < 0) {
      return whole;
    }
    JsonNode at = claims;
    for (String step : path.split("\\.", -1)) {
      if (at == null || !at.isObject()) {
        return null;
      }
      at = at.get(step);
    }
    return at;
  }
}
