package app.tessera.engine.hashing.scahn;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import app.tessera.engine.Device;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.ModelFiles;
import app.tessera.engine.hashing.TrainingOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A trained SCAHN model: the {@linkplain ScahnHashFunctions query-time hash functions}. An item is
 * coded from its own pooled feature and its own tokens only (no labels, nothing of the other
 * modality); bits are the signs of the tanh outputs, 0 mapped to +1 ({@link BinaryCodes}).
 *
 * <p>Saved as {@value #METADATA} (method, format, bits, feature and token shapes, settings) and
 * {@value #PARAMETERS} (DJL parameter stream). Owns a DJL model whose native memory {@link
 * #close()} frees; each encode call works in its own {@code NDManager} scope.
 */
public final class ScahnModel implements HashModel {
  static final String METADATA = "scahn.json";
  static final String PARAMETERS = "scahn.params";
  private static final int FORMAT = 1;
  private static final int ENCODE_BATCH = 512;

  /**
   * What a saved model says about itself.
   *
   * @param imageTokens region tokens per image, {@code imageTokenDim} values each
   * @param textTokens word tokens per caption, {@code textTokenDim} values each
   */
  record Metadata(
      String method,
      int format,
      int bits,
      int imageDim,
      int textDim,
      int imageTokens,
      int imageTokenDim,
      int textTokens,
      int textTokenDim,
      int labels,
      Map<String, String> settings)
      implements ModelFiles.Header {}

  private final Metadata metadata;
  private final Model model;
  private final ScahnHashFunctions functions;
  private final ParameterStore store;

  private ScahnModel(Metadata metadata, byte[] parameters, ai.djl.Device device)
      throws IOException {
    this.metadata = metadata;
    ScahnConfig config =
        ScahnConfig.from(
            new TrainingOptions(metadata.bits(), 0, 0, Device.CPU, null, metadata.settings()));
    functions = new ScahnHashFunctions(metadata.bits(), config);
    model =
        ModelFiles.withParameters(
            Scahn.NAME, functions, device, parameters, inputShapes(metadata, 1));
    store = new ParameterStore(model.getNDManager(), false);
  }

  /** The hash functions' input shapes for a batch of {@code n}. */
  static Shape[] inputShapes(Metadata m, long n) {
    return new Shape[] {
      new Shape(n, m.imageDim()),
      new Shape(n, m.imageTokens(), m.imageTokenDim()),
      new Shape(n, m.textDim()),
      new Shape(n, m.textTokens(), m.textTokenDim())
    };
  }

  static ScahnModel fromParameters(Metadata metadata, byte[] parameters, ai.djl.Device device) {
    try {
      return new ScahnModel(metadata, parameters, device);
    } catch (IOException e) {
      throw new IllegalStateException("could not rebuild the trained hash functions", e);
    }
  }

  /** Reads a model written by {@link #save}. */
  public static ScahnModel load(Path dir, ai.djl.Device device) throws IOException {
    ModelFiles.Saved<Metadata> saved =
        ModelFiles.read(dir, METADATA, PARAMETERS, Metadata.class, Scahn.NAME, FORMAT);
    return new ScahnModel(saved.metadata(), saved.parameters(), device);
  }

  static Metadata metadata(
      int bits,
      int imageDim,
      int textDim,
      int imageTokens,
      int imageTokenDim,
      int textTokens,
      int textTokenDim,
      int labels,
      ScahnConfig config) {
    return new Metadata(
        Scahn.NAME,
        FORMAT,
        bits,
        imageDim,
        textDim,
        imageTokens,
        imageTokenDim,
        textTokens,
        textTokenDim,
        labels,
        config.asParams());
  }

  @Override
  public String method() {
    return Scahn.NAME;
  }

  @Override
  public int bits() {
    return metadata.bits();
  }

  /** The training settings recorded with the model. */
  public Map<String, String> settings() {
    return metadata.settings();
  }

  @Override
  public boolean readsTokens() {
    return true;
  }

  @Override
  public long[] encodeImages(float[][] imageFeatures) {
    throw new IllegalArgumentException(
        "SCAHN codes an image from its feature and its region tokens: pass both");
  }

  @Override
  public long[] encodeTexts(float[][] textFeatures) {
    throw new IllegalArgumentException(
        "SCAHN codes a caption from its feature and its word tokens: pass both");
  }

  @Override
  public long[] encodeImages(float[][] imageFeatures, float[][] imageTokens) {
    return BinaryCodes.pack(embedImages(imageFeatures, imageTokens));
  }

  @Override
  public long[] encodeTexts(float[][] textFeatures, float[][] textTokens) {
    return BinaryCodes.pack(embedTexts(textFeatures, textTokens));
  }

  /** The real-valued outputs in (−1, 1) before the sign. */
  public float[][] embedImages(float[][] features, float[][] tokens) {
    return embed(
        functions,
        functions.image(),
        store,
        model.getNDManager(),
        features,
        tokens,
        metadata.imageDim(),
        metadata.imageTokens(),
        metadata.imageTokenDim(),
        metadata.bits(),
        "image");
  }

  /** The real-valued outputs in (−1, 1) before the sign. */
  public float[][] embedTexts(float[][] features, float[][] tokens) {
    return embed(
        functions,
        functions.text(),
        store,
        model.getNDManager(),
        features,
        tokens,
        metadata.textDim(),
        metadata.textTokens(),
        metadata.textTokenDim(),
        metadata.bits(),
        "text");
  }

  /** Runs one modality in inference mode over its rows, one NDManager scope per chunk. */
  static float[][] embed(
      ScahnHashFunctions functions,
      ModalityEncoder encoder,
      ParameterStore store,
      NDManager parent,
      float[][] features,
      float[][] tokens,
      int dim,
      int tokenCount,
      int tokenDim,
      int bits,
      String modality) {
    if (tokens == null || tokens.length != features.length) {
      throw new IllegalArgumentException(
          "SCAHN needs the " + modality + " tokens of every row, one row of tokens per feature");
    }
    float[][] out = new float[features.length][];
    for (int from = 0; from < features.length; from += ENCODE_BATCH) {
      int to = Math.min(features.length, from + ENCODE_BATCH);
      int n = to - from;
      float[] x = new float[n * dim];
      float[] t = new float[n * tokenCount * tokenDim];
      for (int i = from; i < to; i++) {
        copyRow(features[i], dim, x, (i - from) * dim, modality + " feature " + i);
        copyRow(
            tokens[i],
            tokenCount * tokenDim,
            t,
            (i - from) * tokenCount * tokenDim,
            modality + " tokens " + i);
      }
      try (NDManager scope = parent.newSubManager()) {
        NDArray h =
            functions.code(
                store,
                encoder,
                scope.create(x, new Shape(n, dim)),
                scope.create(t, new Shape(n, tokenCount, tokenDim)),
                false);
        float[] flat = h.toFloatArray();
        for (int i = from; i < to; i++) {
          out[i] = Arrays.copyOfRange(flat, (i - from) * bits, (i - from + 1) * bits);
        }
      }
    }
    return out;
  }

  private static void copyRow(float[] row, int width, float[] into, int offset, String what) {
    if (row == null || row.length != width) {
      throw new IllegalArgumentException(
          what
              + " has "
              + (row == null ? "no values" : row.length + " values")
              + "; this model expects "
              + width);
    }
    System.arraycopy(row, 0, into, offset, width);
  }

  @Override
  public void save(Path dir) throws IOException {
    ModelFiles.write(dir, METADATA, metadata, PARAMETERS, functions);
  }

  @Override
  public void close() {
    model.close();
  }
}
