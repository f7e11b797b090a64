package app.tessera.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the float-vector tools do: exact top-k by cosine over unit-length float32 vectors (here
 * 512-d, CLIP-sized), vectorised and on all cores, so the comparison with binary codes is fair.
 */
final class FloatCosineBaseline implements AutoCloseable {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  private final int dim;
  private final int n;
  private final float[] vectors;
  private final ExecutorService pool;
  private final int threads;

  FloatCosineBaseline(int n, int dim, long seed) {
    this.n = n;
    this.dim = dim;
    this.vectors = new float[Math.multiplyExact(n, dim)];
    SplittableRandom random = new SplittableRandom(seed);
    float[] row = new float[dim];
    for (int i = 0; i < n; i++) {
      randomUnit(random, row);
      System.arraycopy(row, 0, vectors, i * dim, dim);
    }
    this.threads = Runtime.getRuntime().availableProcessors();
    this.pool =
        Executors.newFixedThreadPool(
            threads, task -> Thread.ofPlatform().daemon().name("bench-cosine").unstarted(task));
  }

  float[] randomQuery(long seed) {
    float[] q = new float[dim];
    randomUnit(new SplittableRandom(seed), q);
    return q;
  }

  /** Floats plus one long id per item, as a float index must keep. */
  long ramBytes() {
    return 4L * vectors.length + 8L * n;
  }

  /** Indices of the k most similar vectors (unordered ties broken arbitrarily). */
  int[] search(float[] query, int k) {
    List<Future<long[]>> parts = new ArrayList<>();
    int chunk = (n + threads - 1) / threads;
    for (int t = 0; t < threads; t++) {
      int from = t * chunk;
      int to = Math.min(n, from + chunk);
      parts.add(pool.submit(() -> topK(query, k, from, to)));
    }
    long[] all = new long[0];
    try {
      for (Future<long[]> part : parts) {
        long[] p = part.get();
        long[] merged = new long[all.length + p.length];
        System.arraycopy(all, 0, merged, 0, all.length);
        System.arraycopy(p, 0, merged, all.length, p.length);
        all = merged;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    java.util.Arrays.sort(all);
    int[] best = new int[Math.min(k, all.length)];
    for (int i = 0; i < best.length; i++) {
      best[i] = (int) all[i];
    }
    return best;
  }

  /** Keys (ordered similarity descending, then index) of the best k in [from, to). */
  private long[] topK(float[] query, int k, int from, int to) {
    float[] scores = new float[k];
    int[] idx = new int[k];
    int size = 0;
    float worst = Float.NEGATIVE_INFINITY;
    int bound = FLOATS.loopBound(dim);
    for (int i = from; i < to; i++) {
      int base = i * dim;
      FloatVector acc = FloatVector.zero(FLOATS);
      for (int d = 0; d < bound; d += FLOATS.length()) {
        acc =
            FloatVector.fromArray(FLOATS, vectors, base + d)
                .fma(FloatVector.fromArray(FLOATS, query, d), acc);
      }
      float s = acc.reduceLanes(VectorOperators.ADD);
      if (size < k) {
        scores[size] = s;
        idx[size++] = i;
        if (size == k) {
          worst = min(scores);
        }
      } else if (s > worst) {
        int w = argmin(scores);
        scores[w] = s;
        idx[w] = i;
        worst = min(scores);
      }
    }
    long[] keys = new long[size];
    for (int j = 0; j < size; j++) {
      // Higher similarity first: order by the negated score's sortable bits, then index.
      int sortable = Float.floatToIntBits(-scores[j]);
      sortable ^= (sortable >> 31) & 0x7FFFFFFF;
      keys[j] = ((long) sortable << 32) | idx[j];
    }
    return keys;
  }

  private static float min(float[] a) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : a) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static int argmin(float[] a) {
    int best = 0;
    for (int i = 1; i < a.length; i++) {
      if (a[i] < a[best]) {
        best = i;
      }
    }
    return best;
  }

  private void randomUnit(SplittableRandom random, float[] row) {
    double norm = 0;
    for (int d = 0; d < dim; d++) {
      row[d] = (float) (random.nextDouble() * 2 - 1);
      norm += row[d] * row[d];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < dim; d++) {
      row[d] *= scale;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
