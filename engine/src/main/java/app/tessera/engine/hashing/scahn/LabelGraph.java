package app.tessera.engine.hashing.scahn;

/**
 * SCAHN's semantic label association graph, built as in ML-GCN (Chen et al., CVPR 2019) from the
 * label co-occurrence of the training rows:
 *
 * <ol>
 *   <li>conditional probabilities P_ij = P(label j | label i) = M_ij / N_i (M: co-occurrence
 *       counts, N_i: rows with label i; a label that never occurs has none);
 *   <li>binarised: A_ij = 1 when P_ij ≥ {@code threshold} (i ≠ j), which drops rare, noisy edges;
 *   <li>re-weighted against over-smoothing: a label keeps 1 − p of its weight and shares p among
 *       its neighbours, A'_ij = p · A_ij / Σ_k A_ik (a label without neighbours keeps 1);
 *   <li>normalised for the GCN: Â = D^-1/2 A' D^-1/2 with D the row sums of A' (ML-GCN's {@code
 *       gen_adj}).
 * </ol>
 */
final class LabelGraph {
  private LabelGraph() {}

  /** Co-occurrence probabilities P(j | i) of the multi-hot {@code labels} (rows x C). */
  static float[][] conditional(float[][] labels) {
    int c = labels[0].length;
    double[][] together = new double[c][c];
    double[] count = new double[c];
    for (float[] row : labels) {
      for (int i = 0; i < c; i++) {
        if (row[i] > 0) {
          count[i]++;
          for (int j = 0; j < c; j++) {
            if (row[j] > 0) {
              together[i][j]++;
            }
          }
        }
      }
    }
    float[][] p = new float[c][c];
    for (int i = 0; i < c; i++) {
      for (int j = 0; j < c; j++) {
        p[i][j] = count[i] == 0 ? 0f : (float) (together[i][j] / count[i]);
      }
    }
    return p;
  }

  /** The re-weighted adjacency A' (steps 1-3). */
  static float[][] reweighted(float[][] labels, float threshold, float reweight) {
    float[][] p = conditional(labels);
    int c = p.length;
    float[][] a = new float[c][c];
    for (int i = 0; i < c; i++) {
      int neighbours = 0;
      for (int j = 0; j < c; j++) {
        if (i != j && p[i][j] >= threshold && p[i][j] > 0) {
          neighbours++;
        }
      }
      for (int j = 0; j < c; j++) {
        if (i == j) {
          a[i][j] = neighbours == 0 ? 1f : 1f - reweight;
        } else if (p[i][j] >= threshold && p[i][j] > 0) {
          a[i][j] = reweight / neighbours;
        }
      }
    }
    return a;
  }

  /** Â = D^-1/2 A' D^-1/2, the GCN's propagation matrix (all four steps). */
  static float[][] normalised(float[][] labels, float threshold, float reweight) {
    float[][] a = reweighted(labels, threshold, reweight);
    int c = a.length;
    double[] scale = new double[c];
    for (int i = 0; i < c; i++) {
      double sum = 0;
      for (float v : a[i]) {
        sum += v;
      }
      scale[i] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    }
    float[][] out = new float[c][c];
    for (int i = 0; i < c; i++) {
      for (int j = 0; j < c; j++) {
        out[i][j] = (float) (scale[i] * a[i][j] * scale[j]);
      }
    }
    return out;
  }

  /**
   * The label nodes' input embeddings: the mean caption feature of the training rows carrying each
   * label (ML-GCN uses word vectors of the label names; Tessera has none offline, and the caption
   * encoder's own space serves the same purpose). A label no row carries gets the overall mean.
   */
  static float[][] embeddings(float[][] labels, float[][] texts) {
    int c = labels[0].length;
    int d = texts[0].length;
    double[][] sum = new double[c][d];
    double[] all = new double[d];
    int[] count = new int[c];
    for (int r = 0; r < labels.length; r++) {
      for (int j = 0; j < d; j++) {
        all[j] += texts[r][j] / labels.length;
      }
      for (int i = 0; i < c; i++) {
        if (labels[r][i] > 0) {
          count[i]++;
          for (int j = 0; j < d; j++) {
            sum[i][j] += texts[r][j];
          }
        }
      }
    }
    float[][] out = new float[c][d];
    for (int i = 0; i < c; i++) {
      for (int j = 0; j < d; j++) {
        out[i][j] = (float) (count[i] == 0 ? all[j] : sum[i][j] / count[i]);
      }
    }
    return out;
  }
}
