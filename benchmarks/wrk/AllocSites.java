import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * For alloc.sh only: reads a recording made with alloc.jfc over {@code REQUESTS} requests and prints
 * the bytes allocated per request, by thread (exact: each thread's allocation counter at the start
 * and the end of the recording) and, for the event loops and the decision log's writer, by where
 * (allocation samples, weighted, scaled to the exact total). Run with {@code java AllocSites.java
 * FILE.jfr REQUESTS}.
 */
public class AllocSites {
  static final String LOOP = "vert.x-eventloop-thread";
  static final String LOG = "verdict-decision-log";

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    long requests = Long.parseLong(args[1]);
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
    Map<String, long[]> counters = new HashMap<>(); // thread -> {first time, first bytes, last time, last bytes}
    List<RecordedEvent> samples = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.ThreadAllocationStatistics")) {
        if (e.getThread("thread") == null) {
          continue;
        }
        String name = e.getThread("thread").getJavaName();
        long t = e.getStartTime().getEpochSecond() * 1_000_000_000L + e.getStartTime().getNano();
        long bytes = e.getLong("allocated");
        long[] c = counters.computeIfAbsent(name, n -> new long[] {Long.MAX_VALUE, 0, Long.MIN_VALUE, 0});
        if (t < c[0]) {
          c[0] = t;
          c[1] = bytes;
        }
        if (t > c[2]) {
          c[2] = t;
          c[3] = bytes;
        }
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        samples.add(e);
      }
    }
    long loops = 0;
    long log = 0;
    long other = 0;
    for (Map.Entry<String, long[]> c : counters.entrySet()) {
      long delta = c.getValue()[3] - c.getValue()[1];
      String name = c.getKey();
      if (name.startsWith(LOOP)) {
        loops += delta;
      } else if (name.equals(LOG)) {
        log += delta;
      } else if (!name.startsWith("JFR ") && !name.equals("Attach Listener")) {
        other += delta;
      }
    }
    System.out.printf("requests=%d%n", requests);
    System.out.printf("bytes per request (exact): event loops %d, decision log writer %d, other threads %d,"
        + " total %d%n", loops / requests, log / requests, other / requests, (loops + log + other) / requests);
    sites("event loops", samples, LOOP, loops, requests, top);
    if (log > 0) {
      sites("decision log writer", samples, LOG, log, requests, 10);
    }
  }

  static void sites(String what, List<RecordedEvent> samples, String thread, long exact, long requests, int top) {
    Map<String, Long> byComponent = new HashMap<>();
    Map<String, Long> bySite = new HashMap<>();
    Map<String, Long> byOurs = new HashMap<>();
    Map<String, Map<String, Long>> stacks = new HashMap<>();
    long total = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    samples.sort(java.util.Comparator.comparing(RecordedEvent::getStartTime));
    for (RecordedEvent e : samples) {
      if (e.getThread() == null || !e.getThread().getJavaName().startsWith(thread)) {
        continue;
      }
      if (seen.add(e.getThread().getJavaName())) {
        continue; // a thread's first sample weighs what it allocated since before the recording
      }
      long w = e.getLong("weight");
      total += w;
      RecordedFrame inner = innermost(e.getStackTrace(), false);
      RecordedFrame ours = innermost(e.getStackTrace(), true);
      String cls = e.getClass("objectClass").getName();
      byComponent.merge(component(inner), w, Long::sum);
      bySite.merge(cls + " at " + where(inner), w, Long::sum);
      byOurs.merge(where(ours), w, Long::sum);
      stacks.computeIfAbsent(cls + " at " + where(inner), k -> new HashMap<>())
          .merge(stack(e.getStackTrace()), w, Long::sum);
    }
    if (total == 0) {
      return;
    }
    double scale = (double) exact / total / requests;
    System.out.printf("%n%s: %d samples' weight scaled to %d B/request%n", what, total, exact / requests);
    print("by the innermost library or project frame", byComponent, scale, total, top);
    print("by the innermost project frame (dev.verdict)", byOurs, scale, total, top);
    print("by class allocated and innermost library or project frame", bySite, scale, total, top);
    if (Boolean.getBoolean("stacks")) {
      System.out.printf("  the heaviest stack of each of the %d heaviest sites:%n", top);
      bySite.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
          .forEach(x -> stacks.get(x.getKey()).entrySet().stream()
              .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(Integer.getInteger("perSite", 1))
              .forEach(st -> System.out.printf("    %6.0f B  %s%n%s%n", st.getValue() * scale, x.getKey(),
                  st.getKey())));
    }
  }

  static String stack(RecordedStackTrace st) {
    StringBuilder b = new StringBuilder();
    if (st != null) {
      int n = 0;
      for (RecordedFrame f : st.getFrames()) {
        if (n++ == Integer.getInteger("depth", 14)) {
          break;
        }
        b.append("        ").append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName())
            .append(':').append(f.getLineNumber()).append('\n');
      }
    }
    return b.toString();
  }

  static void print(String title, Map<String, Long> m, double scale, long total, int top) {
    System.out.printf("  %s:%n", title);
    m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
        .forEach(x -> System.out.printf("    %6.0f B %5.1f %%  %s%n", x.getValue() * scale,
            100.0 * x.getValue() / total, x.getKey()));
  }

  /** The innermost frame outside the JDK (or of the project only); null when there is none. */
  static RecordedFrame innermost(RecordedStackTrace st, boolean oursOnly) {
    if (st == null) {
      return null;
    }
    for (RecordedFrame f : st.getFrames()) {
      String c = f.getMethod().getType().getName();
      boolean jdk = c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.");
      if (oursOnly ? c.startsWith("dev.verdict.") : !jdk) {
        return f;
      }
    }
    return null;
  }

  static String where(RecordedFrame f) {
    if (f == null) {
      return "(none)";
    }
    String c = f.getMethod().getType().getName();
    return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
  }

  static String component(RecordedFrame f) {
    if (f == null) {
      return "JDK only";
    }
    String c = f.getMethod().getType().getName();
    if (c.startsWith("io.netty.")) {
      return "Netty";
    } else if (c.startsWith("io.vertx.ext.web.")) {
      return "Vert.x Web";
    } else if (c.startsWith("io.vertx.")) {
      return "Vert.x core";
    } else if (c.startsWith("com.fasterxml.jackson.")) {
      return "Jackson";
    } else if (c.startsWith("io.micrometer.")) {
      return "Micrometer";
    } else if (c.startsWith("dev.verdict.")) {
      return c.substring(0, c.lastIndexOf('.'));
    }
    return c.substring(0, c.lastIndexOf('.'));
  }
}
