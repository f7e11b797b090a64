package app.tessera.bench;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.ShippedModels;
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
          + " (TESSERA_JAVA_OPTS=-Xmx8g ./tessera bench search). --quick divides every size by 10.",
      "--fused instead times whole text queries in a captioned library of 1M items (the codes,"
          + " the captions' codes and the captions' words, fused): per query class, against the"
          + " codes alone and the word ranking alone; the library is made once (a few minutes)"
          + " and kept in the data folder."
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

  @Option(
      names = "--fused",
      description = "Only the fused text queries in a captioned library (see above).")
  boolean fused;

  @Option(
      names = "--items",
      paramLabel = "N",
      description = "Captioned items of the --fused library (${DEFAULT-VALUE}).")
  int items = 1_000_000;

  @Option(
      names = "--library",
      paramLabel = "FILE",
      description =
          "The --fused library's file (default: cache/bench/fused-<N>-<seed>.sqlite in the data"
              + " folder); made if missing.")
  Path library;

  @Option(
      names = "--encode",
      description =
          "With --fused, also time whole queries whose text is encoded by the shipped default model"
              + " (64-bit), as the app does before searching.")
  boolean encode;

  @Option(
      names = "--before",
      description = "With --fused, also time the FTS5 word ranking the service used before.")
  boolean before;

  @Option(
      names = "--agreement",
      paramLabel = "N",
      description =
          "With --fused, compare the word ranking with FTS5's exact one on N queries per class"
              + " (${DEFAULT-VALUE}; 0: no comparison).")
  int agreement = 50;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long heap = Runtime.getRuntime().maxMemory();
    if (fused) {
      return runFused(out, err);
    }
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

  private int runFused(PrintWriter out, PrintWriter err) throws Exception {
    if (items < 1000 || items > 100_000_000) {
      err.println("tessera bench search: --items must be between 1000 and 100000000");
      return 2;
    }
    if (agreement < 0) {
      err.println("tessera bench search: --agreement must be 0 or more");
      return 2;
    }
    if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
      err.println("tessera bench search: no such folder: " + json.getParent());
      return 2;
    }
    Path file =
        library != null
            ? library
            : AppDirs.dataDir().resolve("cache/bench/fused-" + items + "-" + seed + ".sqlite");
    Map<String, Object> machine = machine();
    out.printf(
        "Machine: %s cores, %s, heap %.1f GB, load average %s at start%n",
        machine.get("cores"),
        machine.get("java"),
        Runtime.getRuntime().maxMemory() / 1e9,
        machine.get("load_average_start"));
    FusedSearchBenchmark bench =
        new FusedSearchBenchmark(
            file,
            items,
            seed,
            message -> {
              err.println("bench: " + message);
              err.flush();
            });
    bench.prepare();
    out.printf(
        "Library: %s, %,d images each with one generated caption; text queries, top 20,"
            + " %d per class; query encoding left out except where a row says so.%n",
        file, items, 200);
    String format = "%-28s %-8s %9s %9s %5s  %s%n";
    out.printf(format, "stage", "queries", "p50 ms", "p95 ms", "q", "note");
    out.flush();
    ModelBundle model = encode ? ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU) : null;
    List<FusedSearchBenchmark.Row> rows;
    try {
      rows =
          bench.run(
              before,
              model,
              row -> {
                out.printf(
                    format,
                    row.stage(),
                    row.queries(),
                    String.format(Locale.ROOT, "%.2f", row.p50Ms()),
                    String.format(Locale.ROOT, "%.2f", row.p95Ms()),
                    row.count(),
                    row.note());
                out.flush();
              });
    } finally {
      if (model != null) {
        model.close();
      }
    }
    List<FusedSearchBenchmark.Agreement> agreements =
        agreement > 0 ? bench.agreement(agreement) : List.of();
    if (!agreements.isEmpty()) {
      out.println();
      out.println(
          "Word ranking against FTS5's exact BM25 (every word looked for), top 100 per query:");
      String f = "%-8s %5s %18s %14s %26s%n";
      out.printf(f, "queries", "q", "identical top 100", "overlap@10", "overlap@10, FTS5 before");
      for (FusedSearchBenchmark.Agreement a : agreements) {
        out.printf(
            f,
            a.queries(),
            a.compared(),
            a.identicalTop100() + "/" + a.compared(),
            String.format(Locale.ROOT, "%.3f", a.overlapAt10()),
            String.format(Locale.ROOT, "%.3f", a.oldOverlapAt10()));
      }
    }
    machine.put("load_average_end", loadAverage());
    out.printf("Load average at end: %s%n", machine.get("load_average_end"));
    if (json != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("machine", machine);
      doc.put("library", file.toString());
      doc.put("items", items);
      doc.put("seed", seed);
      doc.put("facts", bench.facts());
      doc.put("rows", rows);
      doc.put("agreement", agreements);
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
