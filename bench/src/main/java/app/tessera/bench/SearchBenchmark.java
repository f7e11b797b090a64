package app.tessera.bench;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.HammingIndex;
import app.tessera.engine.index.IndexOptions;
import app.tessera.engine.index.IndexSnapshot;
import app.tessera.engine.index.Strategy;
import app.tessera.engine.index.SyntheticCodes;
import app.tessera.engine.index.SyntheticCodes.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The measurements behind {@code tessera bench search}: single-query latency of the exact scan (1M
 * and 10M codes, 64 and 128 bits, top-100), of multi-index hashing and the automatic choice (10M
 * and 100M, k = 1, 10, 100), of float32 cosine over 512-d vectors at 1M, and of FAISS
 * IndexBinaryFlat on the same codes when python3-faiss is installed; then the crossover size where
 * multi-index hashing starts to beat the scan; last, the query service's cost of breaking Hamming
 * ties at 1M items ({@link RankingBenchmark}; alone with {@link #runRanking()}). Every row says how
 * its codes were drawn ({@link SyntheticCodes}). {@code quick} divides every size by 10.
 */
public final class SearchBenchmark {
  /** Cluster centres of the clustered codes. */
  public static final int CENTRES = 4096;

  private static final int FLOAT_DIM = 512;

  private final boolean quick;
  private final long seed;
  private final Consumer<BenchRow> sink;
  private final Consumer<String> log;
  private final List<BenchRow> rows = new ArrayList<>();
  private final List<String> summary = new ArrayList<>();

  public SearchBenchmark(boolean quick, long seed, Consumer<BenchRow> sink, Consumer<String> log) {
    this.quick = quick;
    this.seed = seed;
    this.sink = sink;
    this.log = log;
  }

  /** Runs everything; rows go to the sink as they are measured. Returns the rows. */
  public List<BenchRow> run() throws IOException {
    int scale = quick ? 10 : 1;
    int n1 = 1_000_000 / scale;
    int n10 = 10_000_000 / scale;
    int n100 = 100_000_000 / scale;
    Optional<String> noFaiss = FaissBaseline.unavailable();
    noFaiss.ifPresent(why -> summary.add("FAISS rows skipped: " + why));

    for (int bits : new int[] {64, 128}) {
      for (Kind kind : Kind.values()) {
        for (int n : new int[] {n1, n10}) {
          exactScan(bits, kind, n, noFaiss.isEmpty() && kind == Kind.CLUSTERED);
        }
      }
    }
    floatCosine(n1);
    for (Kind kind : new Kind[] {Kind.CLUSTERED, Kind.UNIFORM}) {
      for (int n : new int[] {n10, n100}) {
        multiIndex(kind, n, new int[] {1, 10, 100});
      }
    }
    for (int n : new int[] {n1 / 4, n1, n1 * 3}) {
      multiIndex(Kind.CLUSTERED, n, new int[] {10});
    }
    crossover(Kind.CLUSTERED);
    crossover(Kind.UNIFORM);
    ranking(n1);
    return rows;
  }

  /** Only the query service's tie-breaking rows. */
  public List<BenchRow> runRanking() {
    ranking(quick ? 100_000 : 1_000_000);
    return rows;
  }

  private void ranking(int n) {
    for (String kind : new String[] {"clustered", "tied"}) {
      settle();
      log.accept("query service: " + n + " x 64-bit " + kind + " codes, ties broken or not");
      RankingBenchmark bench = new RankingBenchmark(n, kind, seed);
      double[] plain = bench.measure(false);
      row(
          "service, insertion",
          kind,
          n,
          64,
          20,
          plain,
          bench.ramBytes(),
          "SearchService top 20, ties in insertion order (encoding excluded)");
      double[] candidates = bench.measureCandidates();
      row(
          "index, candidates",
          kind,
          n,
          64,
          app.tessera.engine.search.TieBreak.CANDIDATES,
          candidates,
          bench.ramBytes(),
          "the index's exact top-" + app.tessera.engine.search.TieBreak.CANDIDATES + " alone");
      double[] ties = bench.measure(true);
      row(
          "service, ties",
          kind,
          n,
          64,
          20,
          ties,
          bench.ramBytes(),
          String.format(
              Locale.ROOT,
              "TieBreak over %d candidates, 384-d features: +%.3f ms p50",
              app.tessera.engine.search.TieBreak.CANDIDATES,
              ties[0] - plain[0]));
    }
  }

  /** Lines to print under the table: ratios against the baselines and the crossover. */
  public List<String> summary() {
    return summary;
  }

  /**
   * Collects the previous stage's index before building the next, so the heap (and the process)
   * stays as small as the largest stage and no collection of old garbage lands in a measurement.
   */
  private static void settle() {
    System.gc();
  }

  private void exactScan(int bits, Kind kind, int n, boolean withFaiss) throws IOException {
    settle();
    log.accept("exact scan: " + n + " x " + bits + "-bit " + label(kind) + " codes");
    SyntheticCodes gen = new SyntheticCodes(bits, kind, CENTRES, seed);
    long[] codes = gen.generate(n, seed + 1);
    long[] queries = gen.generate(200, seed + 2);
    HammingIndex index =
        new HammingIndex(
            bits, IndexOptions.defaults().withStrategy(Strategy.SCAN).withMultiIndexMinSize(0));
    long[] ids = sequentialIds(n);
    long started = System.nanoTime();
    index.add(ids, codes);
    double addSeconds = (System.nanoTime() - started) / 1e9;
    IndexSnapshot snapshot = index.snapshot();
    int words = BinaryCodes.wordsPerCode(bits);
    double[] t = Latency.measure(200, 5, q -> snapshot.search(query(queries, q % 200, words), 100));
    BenchRow scan =
        row(
            "flat-scan",
            kind,
            n,
            bits,
            100,
            t,
            snapshot.ramBytes(),
            String.format(Locale.ROOT, "add() at %.0fM codes/s", n / addSeconds / 1e6));
    if (withFaiss) {
      FaissBaseline.Result f = FaissBaseline.run(codes, queries, bits, 100);
      int[] ours = snapshot.search(query(queries, 0, words), 100).distances();
      boolean same = Arrays.equals(ours, f.firstDistances());
      row(
          "faiss-binary-flat",
          kind,
          n,
          bits,
          100,
          new double[] {f.p50Ms(), f.p99Ms(), f.queries()},
          (long) n * (bits / 8 + 8),
          String.format(
              Locale.ROOT,
              "FAISS %s; flat-scan %.1fx faster; distances %s",
              f.version(),
              f.p50Ms() / scan.p50Ms(),
              same ? "identical" : "DIFFER"));
    }
  }

  private void floatCosine(int n) {
    settle();
    log.accept("float32 cosine: " + n + " x " + FLOAT_DIM + "-d");
    try (FloatCosineBaseline floats = new FloatCosineBaseline(n, FLOAT_DIM, seed)) {
      float[][] queries = new float[20][];
      for (int q = 0; q < queries.length; q++) {
        queries[q] = floats.randomQuery(seed + q);
      }
      double[] t = Latency.measure(20, 10, q -> floats.search(queries[q % 20], 100));
      BenchRow scan =
          rows.stream()
              .filter(r -> r.index().equals("flat-scan") && r.n() == n && r.bits() == 64)
              .filter(r -> r.codes().startsWith("clustered"))
              .findFirst()
              .orElseThrow();
      long ram = floats.ramBytes();
      row(
          "float32-cosine",
          "-",
          n,
          FLOAT_DIM * 32,
          100,
          t,
          ram,
          String.format(
              Locale.ROOT,
              "512-d; vs 64-bit flat-scan: %.0fx slower, %.0fx more memory",
              t[0] / scan.p50Ms(),
              (double) ram / scan.ramBytes()));
    }
  }

  private void multiIndex(Kind kind, int n, int[] ks) {
    settle();
    log.accept("multi-index hashing: " + n + " x 64-bit " + label(kind) + " codes");
    SyntheticCodes gen = new SyntheticCodes(64, kind, CENTRES, seed);
    HammingIndex index =
        new HammingIndex(
            64, IndexOptions.defaults().withMultiIndexMinSize(1).withTablesInBackground(false));
    long started = System.nanoTime();
    index.add(sequentialIds(n), gen.generate(n, seed + 1));
    double buildSeconds = (System.nanoTime() - started) / 1e9;
    long[] queries = gen.generate(200, seed + 2);
    IndexSnapshot snapshot = index.snapshot();
    long scanRam = 16L * n;
    for (int k : ks) {
      IndexSnapshot scan = snapshot.withStrategy(Strategy.SCAN);
      double[] ts = Latency.measure(200, 4, q -> scan.search(query(queries, q % 200, 1), k));
      BenchRow scanRow = row("flat-scan", kind, n, 64, k, ts, scanRam, "");
      IndexSnapshot mih = snapshot.withStrategy(Strategy.MULTI_INDEX);
      double[] tm = Latency.measure(200, 4, q -> mih.search(query(queries, q % 200, 1), k));
      row(
          "multi-index",
          kind,
          n,
          64,
          k,
          tm,
          snapshot.ramBytes(),
          String.format(
              Locale.ROOT,
              "%s scan (%.1fx); tables built in %.1f s",
              tm[0] < scanRow.p50Ms() ? "beats" : "loses to",
              scanRow.p50Ms() / tm[0],
              buildSeconds));
      IndexSnapshot auto = snapshot.withStrategy(Strategy.AUTO);
      double[] ta = Latency.measure(200, 4, q -> auto.search(query(queries, q % 200, 1), k));
      row("auto", kind, n, 64, k, ta, snapshot.ramBytes(), "");
    }
  }

  /** The smallest measured size from which multi-index hashing beats the scan (k = 10). */
  private void crossover(Kind kind) {
    List<long[]> sizes = new ArrayList<>(); // {n, wins}
    rows.stream()
        .filter(r -> r.index().equals("multi-index") && r.k() == 10 && r.bits() == 64)
        .filter(r -> r.codes().equals(label(kind)))
        .forEach(
            r ->
                rows.stream()
                    .filter(s -> s.index().equals("flat-scan") && s.k() == 10 && s.n() == r.n())
                    .filter(s -> s.codes().equals(label(kind)))
                    .findFirst()
                    .ifPresent(s -> sizes.add(new long[] {r.n(), r.p50Ms() < s.p50Ms() ? 1 : 0})));
    sizes.sort((a, b) -> Long.compare(a[0], b[0]));
    long firstWin = -1;
    long lastLoss = -1;
    for (long[] s : sizes) {
      if (s[1] == 1 && firstWin < 0) {
        firstWin = s[0];
      }
      if (s[1] == 0) {
        lastLoss = s[0];
      }
    }
    String measured =
        sizes.stream().map(s -> s[0] + (s[1] == 1 ? " win" : " loss")).toList().toString();
    String verdict =
        firstWin < 0
            ? "multi-index never beat the scan up to " + sizes.getLast()[0]
            : lastLoss < 0
                ? "multi-index beat the scan at every measured size (from " + firstWin + ")"
                : lastLoss < firstWin
                    ? "crossover between " + lastLoss + " and " + firstWin
                    : "no clean crossover";
    summary.add(
        "crossover N (64-bit, k=10, " + label(kind) + " codes): " + verdict + " " + measured);
  }

  private BenchRow row(
      String index, Kind kind, long n, int bits, int k, double[] t, long ram, String note) {
    return row(index, kind == null ? "-" : label(kind), n, bits, k, t, ram, note);
  }

  private BenchRow row(
      String index, String codes, long n, int bits, int k, double[] t, long ram, String note) {
    BenchRow r = new BenchRow(index, codes, n, bits, k, t[0], t[1], ram, (int) t[2], note);
    rows.add(r);
    sink.accept(r);
    return r;
  }

  /** Row label of a code kind. */
  public static String label(Kind kind) {
    return kind == Kind.UNIFORM ? "uniform" : "clustered";
  }

  private static long[] query(long[] queries, int q, int words) {
    return Arrays.copyOfRange(queries, q * words, (q + 1) * words);
  }

  private static long[] sequentialIds(int n) {
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    return ids;
  }
}
