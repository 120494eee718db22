package dev.verdict.sdk;

/**
 * What the application answers when the decision point cannot (it is down, its answer was
 * unreadable, the deadline passed). Without one the answer is a deny. Make answers with
 * {@link Decision#fallback(boolean, String)} and pass the failure on, so it is still logged.
 */
@FunctionalInterface
public interface Fallback {
  Decision decide(Principal principal, Resource resource, String action, String failure);
}
