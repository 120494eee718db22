package dev.verdict.server.boot;

import dev.verdict.server.auth.JwtConfig;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code jwt:} section and the JWT flags into a {@link JwtConfig}. The config's own
 * validation names its settings in camel case; messages here are rewritten to the file's
 * spelling ({@code jwt.max-clock-skew}) so that the operator can find the key they must fix.
 */
final class JwtSettings {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  /** Reads a setting given by flag, environment or file. */
  interface Text {
    String get(String key, String dflt) throws ConfigException;
  }

  /** Makes an error naming a setting and where its value came from. */
  interface Errors {
    ConfigException at(String key, String message);
  }

  private JwtSettings() {}

  /**
   * @param file the {@code jwt:} section, or null
   * @param audiences the audiences from flag, environment or file, or null
   * @param fileOrigin where the section came from, for messages
   * @return empty when no JWT setting is given at all: the gateway endpoint is then not served
   */
  static Optional<JwtConfig> read(Text text, Errors errors, ConfigFile.Jwt file, List<String> audiences,
      String fileOrigin) throws ConfigException {
    String jwksFile = text.get("jwks-file", null);
    String jwksUrl = text.get("jwks-url", null);
    String issuer = text.get("jwt-issuer", null);
    if (file == null && jwksFile == null && jwksUrl == null && issuer == null && audiences == null) {
      return Optional.empty();
    }
    JwtConfig.Builder b = JwtConfig.builder().issuer(issuer);
    if (jwksFile != null) {
      if (!Files.isRegularFile(Path.of(jwksFile))) {
        throw errors.at("jwks-file", "names `" + jwksFile + "`, which does not exist");
      }
      b.jwksFile(Path.of(jwksFile));
    }
    if (jwksUrl != null) {
      try {
        b.jwksUrl(new URI(jwksUrl));
      } catch (URISyntaxException e) {
        throw errors.at("jwks-url", "is not a URL: " + e.getReason());
      }
    }
    if (audiences != null) {
      b.audiences(new LinkedHashSet<>(audiences));
    }
    if (file != null) {
      String where = fileOrigin.isEmpty() ? "" : " (from " + fileOrigin + ")";
      set(file.algorithms(), v -> b.algorithms(new LinkedHashSet<>(v)));
      set(duration(file.maxClockSkew(), "max-clock-skew", where), b::maxClockSkew);
      set(file.requireIssuedAt(), b::requireIssuedAt);
      set(file.acceptedTypes(), v -> b.acceptedTypes(new LinkedHashSet<>(v)));
      set(file.typeRequired(), b::typeRequired);
      set(file.rolesClaim(), b::rolesClaim);
      set(file.attributeClaims(), b::attributeClaims);
      set(file.contextClaims(), b::contextClaims);
      set(file.principalType(), b::principalType);
      set(duration(file.cacheMaxTtl(), "cache-max-ttl", where), b::cacheMaxTtl);
      set(file.cacheMaxBytes(), b::cacheMaxBytes);
      set(duration(file.jwksCacheTtl(), "jwks-cache-ttl", where), b::jwksCacheTtl);
      set(duration(file.jwksRefreshAhead(), "jwks-refresh-ahead", where), b::jwksRefreshAhead);
      set(duration(file.jwksRateLimit(), "jwks-rate-limit", where), b::jwksRateLimit);
      set(duration(file.jwksOutageTolerance(), "jwks-outage-tolerance", where), b::jwksOutageTolerance);
      set(duration(file.jwksConnectTimeout(), "jwks-connect-timeout", where), b::jwksConnectTimeout);
      set(duration(file.jwksReadTimeout(), "jwks-read-timeout", where), b::jwksReadTimeout);
      set(file.jwksMaxBytes(), b::jwksMaxBytes);
      set(file.jwksAllowHttp(), b::jwksAllowHttp);
    }
    try {
      return Optional.of(b.build());
    } catch (IllegalArgumentException | NullPointerException e) {
      String where = fileOrigin.isEmpty() ? " (from flags or the environment)" : " (from " + fileOrigin
          + " and the flags or environment)";
      throw new ConfigException(fileSpelling(String.valueOf(e.getMessage())) + where);
    }
  }

  private static <T> void set(T value, Consumer<T> into) {
    if (value != null) {
      into.accept(value);
    }
  }

  private static Duration duration(String text, String key, String where) throws ConfigException {
    if (text == null) {
      return null;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException("`jwt." + key + "` must be a duration such as `500ms`, `60s`, `5m` or `1h`, not `"
          + text + "`" + where);
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      default:
        return Duration.ofHours(n);
    }
  }

  /** {@code jwt: `maxClockSkew` must …} becomes {@code `jwt.max-clock-skew` must …}. */
  static String fileSpelling(String message) {
    String m = message.startsWith("jwt: ") ? message.substring("jwt: ".length()) : message;
    for (RecordComponent c : JwtConfig.class.getRecordComponents()) {
      m = m.replace("`" + c.getName() + "`", "`jwt." + kebab(c.getName()) + "`");
    }
    return m;
  }

  private static String kebab(String camel) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}
