package dev.verdict.engine;

/**
 * A request the engine will not decide because it is malformed in a way a decision could hide,
 * such as a {@code context.intent} that no route or limit declares (it would make it unclear
 * which limits apply). Transports answer it as an invalid request naming {@link #path()}.
 */
public final class RequestRefused extends RuntimeException {
  private final String path;

  public RequestRefused(String path, String message) {
    super(message, null, false, false);
    this.path = path;
  }

  /** Where in the request, as a JSON path such as {@code $.context.intent}. */
  public String path() {
    return path;
  }
}
