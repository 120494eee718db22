package dev.verdict.engine;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a {@link SourceSet} from named file contents, with the bounds a directory read has. */
final class Sources {
  private Sources() {}

  /**
   * @param files relative name to bytes, in the order to read them (sorted)
   * @param diags problems found while collecting the files, kept in the set
   * @param where what the files are, for the "no policy files" message
   */
  static SourceSet of(Map<String, byte[]> files, List<Diagnostic> diags, String where) {
    List<Source> policies = new ArrayList<>();
    List<Source> data = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      String name = e.getKey();
      boolean policy = name.endsWith(SourceReader.POLICY_EXTENSION);
      if (!policy && !SourceReader.isData(name)) {
        continue;
      }
      if (policies.size() + data.size() >= SourceReader.MAX_FILES) {
        diags.add(Diagnostic.of(Code.TOO_MANY_FILES, Span.ofFile(where),
            "more than " + SourceReader.MAX_FILES + " policy and data files in " + where,
            "split the policy set"));
        break;
      }
      byte[] bytes = e.getValue();
      if (bytes.length > SourceReader.MAX_FILE_BYTES) {
        diags.add(Diagnostic.of(Code.FILE_TOO_LARGE, Span.ofFile(name),
            "`" + name + "` is " + bytes.length + " bytes, more than the " + SourceReader.MAX_FILE_BYTES
                + " a file may have", "split the file"));
        continue;
      }
      total += bytes.length;
      if (total > SourceReader.MAX_TOTAL_BYTES) {
        diags.add(Diagnostic.of(Code.FILE_TOO_LARGE, Span.ofFile(where),
            "the files of " + where + " are larger than " + SourceReader.MAX_TOTAL_BYTES + " bytes together",
            "split the policy set"));
        break;
      }
      Source s = SourceReader.decode(name, bytes, diags);
      if (s != null) {
        (policy ? policies : data).add(s);
      }
    }
    if (policies.isEmpty() && diags.isEmpty()) {
      diags.add(Diagnostic.of(Code.NO_POLICIES, Span.ofFile(where), "no policy files found in " + where,
          "policy files end in `" + SourceReader.POLICY_EXTENSION + "`"));
    }
    return new SourceSet(policies, data, diags);
  }
}
