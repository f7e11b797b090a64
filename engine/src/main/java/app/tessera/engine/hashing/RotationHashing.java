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
 * The non-learned baseline {@code --method rotation}: sign of a seeded random rotation of the
 * centred, L2-normalised features ({@code docs/methods.md} §4). It only makes sense when image and
 * text features live in one space (e.g. CLIP, or Tessera's CNN trained against MiniLM), and it
 * refuses features of different lengths. The centre is the mean of both modalities' training
 * features; the K directions are orthonormal when K ≤ d (Gram-Schmidt on Gaussian vectors),
 * Gaussian otherwise.
 */
public final class RotationHashing implements HashingMethod {
  public static final String NAME = "rotation";
  private static final String FILE = "rotation.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> settingNames() {
    return Set.of(); // nothing to set
  }

  @Override
  public boolean needsLabels() {
    return false;
  }

  @Override
  public boolean labelFree() {
    return true;
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
    MethodParams.of(NAME, options.params(), settingNames()); // a name given here is a mistake
    int dim = images.length > 0 ? images[0].length : texts.length > 0 ? texts[0].length : 0;
    if (images.length > 0 && texts.length > 0 && dim != texts[0].length) {
      throw new IllegalArgumentException(
          "rotation hashing needs image and text features in one space; got "
              + dim
              + "-d images and "
              + texts[0].length
              + "-d texts");
    }
    if (dim == 0) {
      throw new IllegalArgumentException("rotation hashing needs features; there are none");
    }
    float[] mean = new float[dim];
    int rows = images.length + texts.length;
    for (float[][] modality : new float[][][] {images, texts}) {
      for (float[] row : modality) {
        float[] unit = unit(row);
        for (int j = 0; j < dim; j++) {
          mean[j] += unit[j] / rows;
        }
      }
    }
    float[][] directions = directions(options.bits(), dim, new Random(options.seed()));
    return new Model(NAME, options.bits(), mean, directions);
  }

  private static float[][] directions(int bits, int dim, Random random) {
    float[][] w = new float[bits][dim];
    for (int k = 0; k < bits; k++) {
      for (int j = 0; j < dim; j++) {
        w[k][j] = (float) random.nextGaussian();
      }
      if (k < dim) {
        for (int p = 0; p < k; p++) {
          double dot = 0;
          for (int j = 0; j < dim; j++) {
            dot += w[k][j] * w[p][j];
          }
          for (int j = 0; j < dim; j++) {
            w[k][j] -= (float) (dot * w[p][j]);
          }
        }
        w[k] = unit(w[k]);
      }
    }
    return w;
  }

  private static float[] unit(float[] row) {
    double norm = 0;
    for (float v : row) {
      norm += v * v;
    }
    float scale = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
    float[] out = new float[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = row[j] * scale;
    }
    return out;
  }

  @Override
  public HashModel load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("not a rotation model folder (no " + FILE + "): " + dir);
    }
    return JSON.readValue(file.toFile(), Model.class);
  }

  /** The centre and the K directions; codes are sign(W (unit(x) - mean)). */
  record Model(String method, int bits, float[] mean, float[][] directions) implements HashModel {
    @Override
    public long[] encodeImages(float[][] imageFeatures) {
      return encode(imageFeatures);
    }

    @Override
    public long[] encodeTexts(float[][] textFeatures) {
      return encode(textFeatures);
    }

    private long[] encode(float[][] features) {
      int words = BinaryCodes.wordsPerCode(bits);
      long[] codes = new long[features.length * words];
      float[] projected = new float[bits];
      for (int i = 0; i < features.length; i++) {
        if (features[i].length != mean.length) {
          throw new IllegalArgumentException(
              "this model reads " + mean.length + "-d features, got " + features[i].length);
        }
        float[] x = unit(features[i]);
        for (int k = 0; k < bits; k++) {
          float sum = 0;
          for (int j = 0; j < x.length; j++) {
            sum += directions[k][j] * (x[j] - mean[j]);
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
