package app.tessera.engine.eval;

/** Mean and sample standard deviation (0 for a single value) of per-seed figures. */
public record Stats(double mean, double std, int n) {
  public static Stats of(double... values) {
    int n = values.length;
    if (n == 0) {
      return new Stats(Double.NaN, Double.NaN, 0);
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= n;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new Stats(mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0, n);
  }

  /** {@code 0.6123 ± 0.0041} (4 decimals). */
  public String format() {
    return String.format(java.util.Locale.ROOT, "%.4f ± %.4f", mean, std);
  }
}
