package app.tessera.bench;

import java.util.Arrays;
import java.util.function.IntConsumer;

/** Times single queries: a warm-up, then up to {@code maxQueries} or a time cap. */
final class Latency {
  private Latency() {}

  /** {p50, p99, count} in milliseconds for {@code query.accept(q)}, q = 0, 1, 2, ... */
  static double[] measure(int maxQueries, double maxSeconds, IntConsumer query) {
    long warmEnd = System.nanoTime() + (long) (Math.min(0.5, maxSeconds / 4) * 1e9);
    for (int q = 0; q < 10 || System.nanoTime() < warmEnd; q++) {
      query.accept(maxQueries + q);
      if (q > 200) {
        break;
      }
    }
    double[] ms = new double[maxQueries];
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    int done = 0;
    while (done < maxQueries && (done < 20 || System.nanoTime() < deadline)) {
      long start = System.nanoTime();
      query.accept(done);
      ms[done++] = (System.nanoTime() - start) / 1e6;
    }
    double[] taken = Arrays.copyOf(ms, done);
    Arrays.sort(taken);
    return new double[] {percentile(taken, 0.50), percentile(taken, 0.99), done};
  }

  /** The p-quantile of sorted values (nearest rank). */
  static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.clamp(i, 0, sorted.length - 1)];
  }
}
