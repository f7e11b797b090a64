package app.tessera.engine.hashing;

import ai.djl.ndarray.NDArray;

/**
 * BiLGSEH's bi-directional label similarity of a batch. For multi-hot labels {@code l_i} over C
 * labels, with {@code h_ij} the Hamming distance of {@code l_i} and {@code l_j}:
 *
 * <pre>
 *   S_ij = (C - h_ij) / C   when l_i . l_j > 0 (they share a label: positive, closer = larger)
 *   S_ij =    -h_ij  / C   otherwise             (no shared label: negative, farther = smaller)
 * </pre>
 *
 * Vectorised: {@code inter = L Lᵀ}, {@code cnt = rowsum(L)}, {@code h = cnt_i + cnt_j - 2 inter},
 * so {@code S = ([inter > 0] C - h) / C}. With C = 4: [1,1,0,0] vs [0,1,1,0] gives +0.5 and
 * [1,1,0,0] vs [0,0,0,1] gives -0.75.
 */
public final class LabelSimilarity {
  private LabelSimilarity() {}

  /** S (B x B) of the multi-hot labels {@code labels} (B x C, values 0/1). */
  public static NDArray of(NDArray labels) {
    long classes = labels.getShape().get(1);
    NDArray inter = labels.matMul(labels.transpose());
    NDArray count = labels.sum(new int[] {1}, true);
    NDArray hamming = count.add(count.transpose()).sub(inter.mul(2f));
    NDArray shares = inter.gt(0f).toType(labels.getDataType(), false);
    return shares.mul((float) classes).sub(hamming).div((float) classes);
  }

  /** The same on plain arrays (n x C), for tests and small data. */
  public static float[][] of(float[][] labels) {
    int n = labels.length;
    float[][] s = new float[n][n];
    for (int i = 0; i < n; i++) {
      int classes = labels[i].length;
      for (int j = 0; j < n; j++) {
        int hamming = 0;
        boolean shares = false;
        for (int c = 0; c < classes; c++) {
          boolean a = labels[i][c] > 0;
          boolean b = labels[j][c] > 0;
          hamming += a != b ? 1 : 0;
          shares |= a && b;
        }
        s[i][j] = shares ? (classes - hamming) / (float) classes : -hamming / (float) classes;
      }
    }
    return s;
  }
}
