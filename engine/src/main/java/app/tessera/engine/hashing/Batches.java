package app.tessera.engine.hashing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Mini-batches of training rows, shared by the supervised methods' training loops. */
public final class Batches {
  private Batches() {}

  /**
   * A shuffled partition of 0..n-1 into batches of {@code size}; a last batch smaller than half a
   * batch joins the one before (every row is used, and batch norm never sees a single row).
   */
  public static List<int[]> shuffled(int n, int size, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    List<int[]> batches = new ArrayList<>();
    int from = 0;
    while (from < n) {
      int to = Math.min(n, from + size);
      if (n - to > 0 && n - to < Math.max(2, size / 2)) {
        to = n;
      }
      batches.add(Arrays.copyOfRange(order, from, to));
      from = to;
    }
    return batches;
  }

  /** Rows {@code rows} of {@code data} (each {@code width} long) as one (rows x width) array. */
  public static NDArray gather(NDManager scope, float[][] data, int[] rows, int width) {
    float[] flat = new float[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(data[rows[r]], 0, flat, r * width, width);
    }
    return scope.create(flat, new Shape(rows.length, width));
  }

  /**
   * Checks that every row of {@code rows} has {@code width} values; names the first that has not.
   */
  public static void requireWidth(float[][] rows, int width, String what) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != width) {
        throw new IllegalArgumentException(
            what
                + " row "
                + i
                + " has "
                + (rows[i] == null ? "no values" : rows[i].length + " values")
                + ", expected "
                + width);
      }
    }
  }
}
