import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floods of issue 8 against a running `verdict serve` on 127.0.0.1, one after the other,
 * each for a bounded time with a bounded number of threads and sockets. For each: answers by
 * status and per second, /health/live latency during the flood and after it, RSS and heap after
 * a full GC (jcmd) before and after. Run by soak.sh; `java Soak.java PORT PID SECONDS [FLOOD…]`.
 */
public final class Soak {
  static final String HOST = "127.0.0.1";
  static int port;
  static long pid;
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  public static void main(String[] args) throws Exception {
    port = Integer.parseInt(args[0]);
    pid = Long.parseLong(args[1]);
    int seconds = Integer.parseInt(args[2]);
    List<String> floods = args.length > 3 ? List.of(args).subList(3, args.length)
        : List.of("numbers", "bigkeys", "methods", "bodies", "headers");
    System.out.printf("baseline: rss %s, heap after GC %s, live p50/max %s%n", rss(), heapAfterGc(), probe(20));
    System.out.println("| flood | answers | answers/s | statuses | live during p50/p99/max | live after p50/max "
        + "| RSS after | heap after GC |");
    System.out.println("|---|---:|---:|---|---|---|---:|---:|");
    for (String f : floods) {
      if (!alive()) {
        System.out.println("| " + f + " | server gone | | | | | | |");
        continue;
      }
      run(f, seconds);
    }
  }

  static void run(String flood, int seconds) throws Exception {
    Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Long> live = Collections.synchronizedList(new ArrayList<>());
    Thread prober = new Thread(() -> {
      while (!stop.get()) {
        live.add(liveMicros());
        sleep(100);
      }
    });
    List<Thread> workers = new ArrayList<>();
    int threads = flood.equals("bodies") || flood.equals("headers") ? 1 : 8;
    for (int i = 0; i < threads; i++) {
      workers.add(new Thread(() -> {
        try {
          switch (flood) {
            case "numbers" -> requests(stop, statuses, Soak::hugeNumber);
            case "bigkeys" -> requests(stop, statuses, Soak::bigKeys);
            case "methods" -> methods(stop, statuses);
            case "bodies" -> sockets(stop, statuses, 200, true);
            case "headers" -> sockets(stop, statuses, 2_000, false);
            default -> throw new IllegalArgumentException("unknown flood " + flood);
          }
        } catch (Exception e) {
          count(statuses, "client-error");
        }
      }));
    }
    long start = System.nanoTime();
    prober.start();
    workers.forEach(Thread::start);
    sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : workers) {
      t.join(30_000);
    }
    prober.join(5_000);
    double took = (System.nanoTime() - start) / 1e9;
    long answers = statuses.entrySet().stream().filter(e -> e.getKey().matches("\\d{3}"))
        .mapToLong(e -> e.getValue().get()).sum();
    String after = alive() ? probe(20) : "server gone";
    String heap = alive() ? heapAfterGc() : "-";
    String rss = alive() ? rss() : "-";
    System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %s | %s | %s | %s | %s |%n", flood, answers, answers / took,
        new TreeMap<>(statuses), percentiles(live), after, rss, heap);
  }

  interface Body {
    String make();
  }

  static String hugeNumber() {
    return "{\"principal\":{\"id\":\"x\"},\"resources\":[{\"type\":\"Session\",\"id\":\"s\"}],\"actions\":[\"login\"],"
        + "\"context\":{\"ip\":1e999999999}}";
  }

  static String bigKeys() {
    StringBuilder resources = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      resources.append(i == 0 ? "" : ",").append("{\"type\":\"Session\",\"id\":\"s").append(i).append("\"}");
    }
    String ip = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "x".repeat(60_000);
    return "{\"principal\":{\"id\":\"x\"},\"resources\":[" + resources + "],\"actions\":[\"login\"],"
        + "\"context\":{\"ip\":\"" + ip + "\"}}";
  }

  static void requests(AtomicBoolean stop, Map<String, AtomicLong> statuses, Body body) {
    while (!stop.get()) {
      try {
        HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port
            + "/v1/decisions")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.make())).build(), HttpResponse.BodyHandlers.discarding());
        count(statuses, Integer.toString(r.statusCode()));
      } catch (IOException e) {
        count(statuses, "io-error");
        sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static void methods(AtomicBoolean stop, Map<String, AtomicLong> statuses) {
    while (!stop.get()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, port), 2_000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        for (int i = 0; i < 1_000 && !stop.get(); i++) {
          String m = "M" + Long.toHexString(ThreadLocalRandom.current().nextLong()).toUpperCase(Locale.ROOT)
              .replaceAll("[^A-Z]", "Q");
          out.write((m + " /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          count(statuses, readStatus(in));
        }
      } catch (IOException e) {
        count(statuses, "io-error");
      }
    }
  }

  /** Reads one response (status line, headers, Content-Length body) and returns its status. */
  static String readStatus(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed");
      }
      head.append((char) b);
    }
    Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
    if (m.find()) {
      in.readNBytes(Integer.parseInt(m.group(1)));
    }
    return head.substring(9, 12);
  }

  /**
   * Keeps {@code count} sockets open, each stalled: a declared 1 MiB body of which 900 KB is sent
   * ({@code body}), or a request line and headers trickled one byte every two seconds. A socket
   * the server closes (counted as {@code cut}, or by its answer's status) is replaced.
   */
  static void sockets(AtomicBoolean stop, Map<String, AtomicLong> statuses, int count, boolean body) {
    List<Socket> open = new ArrayList<>();
    List<Integer> sent = new ArrayList<>();
    byte[] head = ("POST /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1048576\r\n\r\n{\"context\":{\"pad\":\"").getBytes(StandardCharsets.ISO_8859_1);
    byte[] part = "x".repeat(900_000).getBytes(StandardCharsets.ISO_8859_1);
    byte[] slow = "GET /health/live HTTP/1.1\r\nHost: pdp\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
    while (!stop.get()) {
      for (int i = 0; i < open.size(); i++) {
        Socket s = open.get(i);
        try {
          if (s.getInputStream().available() > 0) {
            count(statuses, readStatus(s.getInputStream()));
            throw new IOException("answered");
          }
          if (!body) {
            s.getOutputStream().write(slow[Math.min(sent.get(i), slow.length - 1)]);
            sent.set(i, sent.get(i) + 1);
          }
        } catch (IOException e) {
          if (!"answered".equals(e.getMessage())) {
            count(statuses, "cut");
          }
          close(s);
          open.remove(i);
          sent.remove(i);
          i--;
        }
      }
      while (open.size() < count && !stop.get()) {
        try {
          Socket s = new Socket();
          s.connect(new InetSocketAddress(HOST, port), 2_000);
          s.setSoTimeout(100);
          if (body) {
            s.getOutputStream().write(head);
            s.getOutputStream().write(part);
          }
          open.add(s);
          sent.add(0);
          count(statuses, "opened");
        } catch (IOException e) {
          count(statuses, "connect-error");
          break;
        }
      }
      sleep(body ? 200 : 2_000);
    }
    open.forEach(Soak::close);
  }

  static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // a flood socket
    }
  }

  static void count(Map<String, AtomicLong> statuses, String key) {
    statuses.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** /health/live latency in microseconds; -1 when it did not answer 200 within 2 s. */
  static long liveMicros() {
    long start = System.nanoTime();
    try {
      HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port
          + "/health/live")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? (System.nanoTime() - start) / 1_000 : -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  static String probe(int n) {
    List<Long> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(liveMicros());
      sleep(50);
    }
    List<Long> ok = l.stream().filter(x -> x >= 0).sorted().toList();
    if (ok.isEmpty()) {
      return "no answer";
    }
    return String.format(Locale.ROOT, "%.1f/%.1f ms%s", ok.get(ok.size() / 2) / 1000.0,
        ok.get(ok.size() - 1) / 1000.0, ok.size() < n ? " (" + (n - ok.size()) + " failed)" : "");
  }

  static String percentiles(List<Long> all) {
    List<Long> ok;
    synchronized (all) {
      ok = all.stream().filter(x -> x >= 0).sorted().toList();
    }
    long failed = all.size() - ok.size();
    if (ok.isEmpty()) {
      return "no answer (" + failed + " probes)";
    }
    return String.format(Locale.ROOT, "%.1f/%.1f/%.1f ms%s", ok.get(ok.size() / 2) / 1000.0,
        ok.get((int) Math.min(ok.size() - 1, Math.round(ok.size() * 0.99))) / 1000.0,
        ok.get(ok.size() - 1) / 1000.0, failed > 0 ? " (" + failed + " of " + all.size() + " failed)" : "");
  }

  static boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static String rss() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MB";
        }
      }
    } catch (IOException e) {
      // gone
    }
    return "?";
  }

  /** `jcmd GC.run`, then the used bytes of every generation from `GC.heap_info`. */
  static String heapAfterGc() {
    try {
      jcmd("GC.run");
      String info = jcmd("GC.heap_info");
      Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
      long used = 0;
      int gens = 0;
      while (m.find() && gens < 2) {
        used += Long.parseLong(m.group(1));
        gens++;
      }
      return String.format(Locale.ROOT, "%.1f MB", used / 1024.0);
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  static String jcmd(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
