package dev.verdict.lang.mask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.ast.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the denied fields a request body would set, to refuse mass assignment.
 *
 * <p>A body sets a denied path when the field is present, whatever its value (null
 * included), or when it replaces a container on the way with something that is not one
 * ({@code {"holder": null}} sets {@code holder.ssn}, since a replacing write would erase it).
 * {@code items[].x} is set when any element of {@code items} sets {@code x}; as with
 * {@link MaskApplier}, an array where the path expects an object is searched element by
 * element, and a body that is an array is checked element by element.
 */
public final class WriteCheck {

  private WriteCheck() {}

  /** The denied paths (as the mask writes them) that {@code body} sets, sorted; empty if none. */
  public static List<String> deniedFields(WriteMask mask, JsonNode body) {
    Objects.requireNonNull(mask, "mask is null");
    Objects.requireNonNull(body, "body is null");
    List<String> found = new ArrayList<>();
    int i = 0;
    for (String path : mask.denied()) {
      FieldPath parsed = mask.paths().get(i++);
      if (sets(body, parsed.segments(), 0)) {
        found.add(path);
      }
    }
    return List.copyOf(found);
  }

  /** True when {@code body} sets no denied field. */
  public static boolean allows(WriteMask mask, JsonNode body) {
    return deniedFields(mask, body).isEmpty();
  }

  /** {@code node} is the body's value at the path's first {@code i} segments. */
  private static boolean sets(JsonNode node, List<FieldPath.Segment> segments, int i) {
    if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        if (sets(element, segments, i)) {
          return true;
        }
      }
      return false;
    }
    if (node instanceof ObjectNode object) {
      JsonNode child = object.get(segments.get(i).name());
      if (child == null) {
        return false;
      }
      return i == segments.size() - 1 || sets(child, segments, i + 1);
    }
    return i > 0;
  }
}
