package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One protocol of the decision point: how a batch is asked and how its answer is read. */
interface Wire {
  String path(int pairs);

  byte[] request(Principal principal, List<Resource> resources, List<String> actions, JsonNode context);

  /** The decisions in resource-major order, or a {@link Failure} for an answer that cannot be trusted. */
  Answers.Batch answer(byte[] body, List<Resource> resources, List<String> actions, Masks masks) throws Failure;
}
