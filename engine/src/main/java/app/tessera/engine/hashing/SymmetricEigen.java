package app.tessera.engine.hashing;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix (a few hundred rows: a feature
 * covariance, ITQ's K x K products) by cyclic Jacobi rotations: simple, accurate to rounding, and
 * fast enough at these sizes; plain Java, so label-free hashing needs no native library.
 */
final class SymmetricEigen {
  /** Eigenvalues, largest first. */
  final double[] values;

  /** Eigenvectors as columns: {@code vectors[i][k]} is component i of eigenvector k. */
  final double[][] vectors;

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /** Decomposes symmetric {@code matrix} (not changed). */
  static SymmetricEigen of(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = matrix[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double diagonal = 0;
      for (int p = 0; p < n; p++) {
        diagonal += a[p][p] * a[p][p];
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off <= 1e-24 * Math.max(diagonal, Double.MIN_NORMAL)) {
        break;
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) > 1e-300) {
            rotate(a, v, p, q);
          }
        }
      }
    }
    // Sort by eigenvalue, largest first.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int k = 0; k < n; k++) {
      values[k] = a[order[k]][order[k]];
      for (int i = 0; i < n; i++) {
        vectors[i][k] = v[i][order[k]];
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /** One Jacobi rotation that zeroes a[p][q] (and a[q][p]). */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }
}
