package app.tessera.engine.hashing;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.train.TrainingListener;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

/**
 * {@code --method itq}: iterative quantisation (Gong and Lazebnik, 2011) of pretrained features
 * whose two modalities share one space (CLIP's towers; Tessera's CNN, trained into MiniLM's space).
 * It needs no labels and no image-caption pairs: it fits on whatever features there are, e.g. every
 * image and caption of a library ({@link #fit}).
 *
 * <p>Each modality's unit-length features are centred on that modality's own mean (which removes
 * most of the "modality gap" between the towers; a modality with no rows borrows the other's mean);
 * PCA of the centred rows of both modalities keeps the P leading directions ({@code directions},
 * default 8, at most K); a P x P rotation then alternates with the codes it implies (B = sign(VR),
 * R = the orthogonal polar factor of VᵀB, the Procrustes step) for {@code iterations} rounds, which
 * lowers the quantisation error of the signs. K bits take K / P such rotations from different
 * seeded starts. Codes are sign((unit(x) − mean) W R). P may not exceed the feature width.
 */
public final class ItqHashing implements HashingMethod {
  public static final String NAME = "itq";
  private static final String FILE = "itq.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_ITERATIONS = 50;
  private static final int DEFAULT_DIRECTIONS = 8;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> settingNames() {
    return SETTINGS;
  }

  private static final Set<String> SETTINGS = Set.of("iterations", "directions");

  @Override
  public boolean needsLabels() {
    return false;
  }

  @Override
  public boolean labelFree() {
    return true;
  }

  @Override
  public String settingsKey(TrainingOptions options) {
    return "iterations=" + iterations(options) + ",directions=" + directions(options);
  }

  private static int iterations(TrainingOptions options) {
    int iterations =
        MethodParams.of(NAME, options.params(), SETTINGS)
            .intValue("iterations", DEFAULT_ITERATIONS);
    MethodParams.require(iterations >= 0, "itq: iterations must be 0 or more");
    return iterations;
  }

  /**
   * Principal directions kept: K bits come from K / P rotations of the same P directions. Fewer
   * directions rank by the coarse structure of the features (what labels share), more tell close
   * items apart; the default was chosen on EmojiXM's validation rows (docs/evaluation.md).
   */
  private static int directions(TrainingOptions options) {
    int directions =
        MethodParams.of(NAME, options.params(), SETTINGS)
            .intValue("directions", Math.min(DEFAULT_DIRECTIONS, options.bits()));
    MethodParams.require(
        directions >= 1 && directions <= options.bits(),
        "itq: directions must be between 1 and the number of bits");
    return directions;
  }

  @Override
  public HashModel train(
      FeatureSet train, FeatureSet validation, TrainingOptions options, TrainingListener listener) {
    HashModel model = fit(train.images(), train.texts(), options);
    listener.epochEnded(1, 1, Double.NaN, Validation.score(model, validation));
    return model;
  }

  @Override
  public HashModel fit(float[][] images, float[][] texts, TrainingOptions options) {
    int iterations = iterations(options);
    int bits = options.bits();
    int dim = images.length > 0 ? images[0].length : texts.length > 0 ? texts[0].length : 0;
    if (dim == 0) {
      throw new IllegalArgumentException("itq needs features to fit on; there are none");
    }
    if (images.length > 0 && texts.length > 0 && images[0].length != texts[0].length) {
      throw new IllegalArgumentException(
          "itq needs image and text features in one space; got "
              + images[0].length
              + "-d images and "
              + texts[0].length
              + "-d texts");
    }
    int p = directions(options);
    if (p > dim) {
      throw new IllegalArgumentException(
          "itq keeps at most as many principal directions as the features have dimensions ("
              + dim
              + "); give fewer bits or --param directions=N");
    }
    if (images.length + texts.length < 2 * p) {
      throw new IllegalArgumentException(
          "itq needs at least "
              + 2 * p
              + " feature rows for "
              + p
              + " principal directions; there are "
              + (images.length + texts.length));
    }
    float[] imageMean = mean(images, dim);
    float[] textMean = mean(texts, dim);
    if (images.length == 0) {
      imageMean = textMean;
    }
    if (texts.length == 0) {
      textMean = imageMean;
    }
    // Centred unit rows of both modalities, then their covariance.
    int n = images.length + texts.length;
    float[][] x = new float[n][];
    for (int i = 0; i < images.length; i++) {
      x[i] = centred(images[i], imageMean);
    }
    for (int i = 0; i < texts.length; i++) {
      x[images.length + i] = centred(texts[i], textMean);
    }
    double[][] covariance = new double[dim][dim];
    for (float[] row : x) {
      for (int a = 0; a < dim; a++) {
        double ra = row[a];
        double[] out = covariance[a];
        for (int b = a; b < dim; b++) {
          out[b] += ra * row[b];
        }
      }
    }
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b < a; b++) {
        covariance[a][b] = covariance[b][a];
      }
    }
    double[][] pca = SymmetricEigen.of(covariance).vectors; // columns, leading first
    double[][] w = new double[dim][p];
    for (int a = 0; a < dim; a++) {
      System.arraycopy(pca[a], 0, w[a], 0, p);
    }
    double[][] v = multiply(x, w); // n x P
    double[][] wr = new double[dim][bits];
    Random random = new Random(options.seed());
    for (int from = 0; from < bits; from += p) { // one rotation per block of P bits
      double[][] r = rotate(v, randomRotation(p, random), iterations);
      double[][] block = multiply(w, r);
      for (int a = 0; a < dim; a++) {
        System.arraycopy(block[a], 0, wr[a], from, Math.min(p, bits - from));
      }
    }
    float[][] projection = new float[bits][dim];
    for (int a = 0; a < dim; a++) {
      for (int k = 0; k < bits; k++) {
        projection[k][a] = (float) wr[a][k];
      }
    }
    return new Model(NAME, bits, imageMean, textMean, projection);
  }

  /** ITQ's alternation from rotation {@code r}: B = sign(V R), then R = polar(Vᵀ B). */
  private static double[][] rotate(double[][] v, double[][] r, int iterations) {
    int p = r.length;
    for (int iteration = 0; iteration < iterations; iteration++) {
      double[][] vr = multiply(v, r);
      double[][] m = new double[p][p];
      for (int i = 0; i < v.length; i++) {
        for (int a = 0; a < p; a++) {
          double va = v[i][a];
          double[] out = m[a];
          for (int k = 0; k < p; k++) {
            out[k] += vr[i][k] >= 0 ? va : -va;
          }
        }
      }
      r = polar(m);
    }
    return r;
  }

  private static float[] mean(float[][] rows, int dim) {
    float[] mean = new float[dim];
    for (float[] row : rows) {
      float[] unit = unit(row);
      for (int j = 0; j < dim; j++) {
        mean[j] += unit[j] / rows.length;
      }
    }
    return mean;
  }

  private static float[] centred(float[] row, float[] mean) {
    float[] out = unit(row);
    for (int j = 0; j < out.length; j++) {
      out[j] -= mean[j];
    }
    return out;
  }

  private static float[] unit(float[] row) {
    double norm = 0;
    for (float value : row) {
      norm += value * value;
    }
    float scale = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
    float[] out = new float[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = row[j] * scale;
    }
    return out;
  }

  /** {@code a} times {@code b}. */
  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = rowTimes(a[i], b);
    }
    return out;
  }

  /** {@code a} (float rows) times {@code b}. */
  private static double[][] multiply(float[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    double[] row = new double[b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < row.length; j++) {
        row[j] = a[i][j];
      }
      out[i] = rowTimes(row, b);
    }
    return out;
  }

  private static double[] rowTimes(double[] row, double[][] b) {
    double[] out = new double[b[0].length];
    for (int j = 0; j < b.length; j++) {
      double value = row[j];
      double[] bj = b[j];
      for (int k = 0; k < out.length; k++) {
        out[k] += value * bj[k];
      }
    }
    return out;
  }

  /** A seeded random orthogonal K x K matrix (Gram-Schmidt on Gaussian columns). */
  private static double[][] randomRotation(int k, Random random) {
    double[][] g = new double[k][k];
    for (double[] row : g) {
      for (int j = 0; j < k; j++) {
        row[j] = random.nextGaussian();
      }
    }
    return polar(g);
  }

  /**
   * The orthogonal polar factor of square {@code m}: U Wᵀ for m = U Σ Wᵀ, computed as m Q Λ^-½ Qᵀ
   * from mᵀm = Q Λ Qᵀ (directions with a vanishing singular value are dropped).
   */
  static double[][] polar(double[][] m) {
    int k = m.length;
    double[][] mtm = new double[k][k];
    for (double[] row : m) {
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          mtm[a][b] += row[a] * row[b];
        }
      }
    }
    SymmetricEigen eigen = SymmetricEigen.of(mtm);
    double largest = Math.max(eigen.values[0], Double.MIN_NORMAL);
    double[][] inverseRoot = new double[k][k]; // Q Λ^-½ Qᵀ
    for (int c = 0; c < k; c++) {
      double lambda = eigen.values[c];
      if (lambda <= 1e-12 * largest) {
        continue;
      }
      double scale = 1 / Math.sqrt(lambda);
      for (int a = 0; a < k; a++) {
        double qa = eigen.vectors[a][c] * scale;
        for (int b = 0; b < k; b++) {
          inverseRoot[a][b] += qa * eigen.vectors[b][c];
        }
      }
    }
    return multiply(m, inverseRoot);
  }

  @Override
  public HashModel load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("not an itq model folder (no " + FILE + "): " + dir);
    }
    return JSON.readValue(file.toFile(), Model.class);
  }

  /** Both modalities' centres and the K x d projection; codes are sign(P (unit(x) − mean)). */
  record Model(String method, int bits, float[] imageMean, float[] textMean, float[][] projection)
      implements HashModel {
    @Override
    public long[] encodeImages(float[][] imageFeatures) {
      return encode(imageFeatures, imageMean);
    }

    @Override
    public long[] encodeTexts(float[][] textFeatures) {
      return encode(textFeatures, textMean);
    }

    private long[] encode(float[][] features, float[] mean) {
      int words = BinaryCodes.wordsPerCode(bits);
      long[] codes = new long[features.length * words];
      float[] projected = new float[bits];
      for (int i = 0; i < features.length; i++) {
        if (features[i].length != mean.length) {
          throw new IllegalArgumentException(
              "this model reads " + mean.length + "-d features, got " + features[i].length);
        }
        float[] x = centred(features[i], mean);
        for (int k = 0; k < bits; k++) {
          float sum = 0;
          float[] p = projection[k];
          for (int j = 0; j < x.length; j++) {
            sum += p[j] * x[j];
          }
          projected[k] = sum;
        }
        BinaryCodes.packInto(projected, codes, i * words);
      }
      return codes;
    }

    @Override
    public void save(Path dir) throws IOException {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }

    @Override
    public void close() {}
  }
}
