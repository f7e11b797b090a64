package app.tessera.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tessera bench search}: latency and memory of Hamming search against the baselines. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Time exact Hamming search (flat scan, multi-index hashing, automatic choice) on synthetic"
          + " codes, uniform and clustered, against float32 cosine search and, when Debian's"
          + " python3-faiss is installed, FAISS IndexBinaryFlat on the same codes.",
      "Last, the query service's cost of breaking Hamming ties (the default ranking) at 1M"
          + " items; --ranking runs only that part.",
      "The full run builds indexes of up to 100M codes: give the JVM 8 GB"
          + " (TESSERA_JAVA_OPTS=-Xmx8g ./tessera bench search). --quick divides every size by 10."
    })
public final class BenchSearchCommand implements Callable<Integer> {
  private static final long FULL_RUN_HEAP = 7L << 30;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
  Path json;

  @Option(names = "--quick", description = "Sizes divided by 10 (a minute or two).")
  boolean quick;

  @Option(
      names = "--ranking",
      description = "Only the query service's tie-breaking rows (1M items; a minute).")
  boolean rankingOnly;

  @Option(names = "--seed", description = "Seed of the synthetic codes (${DEFAULT-VALUE}).")
  long seed = 42;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long heap = Runtime.getRuntime().maxMemory();
    if (!quick && !rankingOnly && heap < FULL_RUN_HEAP) {
      err.printf(
          "tessera bench search: the full run needs about 7 GB of heap, this JVM has %.1f GB;"
              + " run it with TESSERA_JAVA_OPTS=-Xmx8g, or use --quick.%n",
          heap / 1e9);
      return 2;
    }
    if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
      err.println("tessera bench search: no such folder: " + json.getParent());
      return 2;
    }
    Map<String, Object> machine = machine();
    out.printf(
        "Machine: %s cores, %s, heap %.1f GB, load average %s at start%n",
        machine.get("cores"), machine.get("java"), heap / 1e9, machine.get("load_average_start"));
    out.println(
        "Codes: uniform = fair coin per bit; clustered = one of "
            + SearchBenchmark.CENTRES
            + " random centres with each bit flipped with probability 3/32. Queries: fresh codes"
            + " from the same distribution, one at a time.");
    String format = "%-18s %-9s %11s %4s %4s %9s %9s %10s %5s  %s%n";
    out.printf(format, "index", "codes", "n", "bits", "k", "p50 ms", "p99 ms", "RAM", "q", "note");
    out.flush();
    SearchBenchmark bench =
        new SearchBenchmark(
            quick,
            seed,
            row -> {
              out.printf(
                  format,
                  row.index(),
                  row.codes(),
                  String.format(Locale.ROOT, "%,d", row.n()),
                  row.bits(),
                  row.k(),
                  String.format(Locale.ROOT, "%.3f", row.p50Ms()),
                  String.format(Locale.ROOT, "%.3f", row.p99Ms()),
                  bytes(row.ramBytes()),
                  row.queries(),
                  row.note());
              out.flush();
            },
            message -> {
              err.println("bench: " + message);
              err.flush();
            });
    List<BenchRow> rows = rankingOnly ? bench.runRanking() : bench.run();
    machine.put("load_average_end", loadAverage());
    out.println();
    for (String line : bench.summary()) {
      out.println(line);
    }
    out.printf("Load average at end: %s%n", machine.get("load_average_end"));
    if (json != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("machine", machine);
      doc.put("quick", quick);
      doc.put("seed", seed);
      List<Map<String, Object>> records = new ArrayList<>();
      for (BenchRow r : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", r.index());
        m.put("codes", r.codes());
        m.put("n", r.n());
        m.put("bits", r.bits());
        m.put("k", r.k());
        m.put("p50_ms", r.p50Ms());
        m.put("p99_ms", r.p99Ms());
        m.put("ram_bytes", r.ramBytes());
        m.put("queries", r.queries());
        m.put("note", r.note());
        records.add(m);
      }
      doc.put("rows", records);
      doc.put("summary", bench.summary());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
      out.println("Wrote " + json);
    }
    return 0;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", "Java " + Runtime.version());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("load_average_start", loadAverage());
    return m;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (Exception e) {
      double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return one < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", one);
    }
  }

  private static String bytes(long b) {
    if (b >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }
    if (b >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
  }
}
