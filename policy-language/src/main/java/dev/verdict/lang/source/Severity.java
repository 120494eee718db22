package dev.verdict.lang.source;

/** How bad a diagnostic is: errors stop a policy set from loading, warnings do not. */
public enum Severity {
  ERROR("error"),
  WARNING("warning");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
