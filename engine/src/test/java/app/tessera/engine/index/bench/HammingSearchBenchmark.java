package app.tessera.engine.index.bench;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.HammingIndex;
import app.tessera.engine.index.IndexOptions;
import app.tessera.engine.index.IndexSnapshot;
import app.tessera.engine.index.Neighbors;
import app.tessera.engine.index.Strategy;
import app.tessera.engine.index.SyntheticCodes;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the Hamming kernels: the vectorised scan per code length (single-threaded, so
 * the kernel itself is measured, and on all cores), a scalar {@code Long.bitCount} loop as the
 * baseline every Java implementation starts from, and multi-index hashing. Never run by {@code mvn
 * verify} (surefire runs only {@code *Test}). Run with:
 *
 * <pre>
 * mvn -B -o -pl engine test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="--add-modules=jdk.incubator.vector -cp %classpath org.openjdk.jmh.Main HammingSearchBenchmark"
 * </pre>
 *
 * (append e.g. {@code -p bits=64 -p n=1000000} to the JMH arguments to narrow it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class HammingSearchBenchmark {
  @Param({"16", "32", "64", "128", "256"})
  int bits;

  @Param({"1000000"})
  int n;

  @Param({"CLUSTERED"})
  SyntheticCodes.Kind kind;

  private IndexSnapshot scanOneThread;
  private IndexSnapshot scanAllThreads;
  private IndexSnapshot multiIndex;
  private long[] codes;
  private long[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    SyntheticCodes gen = new SyntheticCodes(bits, kind, 4096, 1);
    codes = gen.generate(n, 2);
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    HammingIndex index =
        new HammingIndex(
            bits, IndexOptions.defaults().withMultiIndexMinSize(1).withTablesInBackground(false));
    index.add(ids, codes);
    IndexSnapshot snapshot = index.snapshot();
    scanAllThreads = snapshot.withStrategy(Strategy.SCAN);
    scanOneThread =
        new HammingIndex(
                bits,
                IndexOptions.defaults()
                    .withStrategy(Strategy.SCAN)
                    .withMultiIndexMinSize(0)
                    .withThreads(1))
            .update(batch -> batch.add(ids, codes));
    multiIndex = snapshot.withStrategy(Strategy.MULTI_INDEX);
    int words = BinaryCodes.wordsPerCode(bits);
    long[] q = gen.generate(64, 3);
    queries = new long[64][];
    for (int i = 0; i < 64; i++) {
      queries[i] = Arrays.copyOfRange(q, i * words, (i + 1) * words);
    }
  }

  private long[] nextQuery() {
    return queries[next++ & 63];
  }

  /** The vectorised scan kernel on one thread, top-100. */
  @Benchmark
  public Neighbors scanTop100OneThread() {
    return scanOneThread.search(nextQuery(), 100);
  }

  /** The scan on all cores (partitions on the scan pool), top-100. */
  @Benchmark
  public Neighbors scanTop100AllThreads() {
    return scanAllThreads.search(nextQuery(), 100);
  }

  /** Multi-index hashing, top-10. */
  @Benchmark
  public Neighbors multiIndexTop10() {
    return multiIndex.search(nextQuery(), 10);
  }

  /** Baseline: scalar XOR + Long.bitCount over the packed codes, counting codes within 8 bits. */
  @Benchmark
  public int scalarBitCountLoop() {
    long[] query = nextQuery();
    int words = query.length;
    int within = 0;
    for (int i = 0; i < n; i++) {
      int d = 0;
      for (int w = 0; w < words; w++) {
        d += Long.bitCount(codes[i * words + w] ^ query[w]);
      }
      if (d <= 8) {
        within++;
      }
    }
    return within;
  }
}
