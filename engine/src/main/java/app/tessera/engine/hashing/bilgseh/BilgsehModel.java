package app.tessera.engine.hashing.bilgseh;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.ModelFiles;
import app.tessera.engine.train.DjlRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained BiLGSEH model: the two label-free phase-2 hash functions. Codes are the signs of their
 * tanh outputs, 0 mapped to +1, packed by {@link BinaryCodes}.
 *
 * <p>Saved as two files in a directory: {@value #METADATA} (method, format, bits, input widths,
 * label count, the training settings) and {@value #PARAMETERS} (DJL parameter stream). Owns a DJL
 * model whose native memory {@link #close()} frees; each encode call runs in its own {@code
 * NDManager} scope.
 */
public final class BilgsehModel implements HashModel {
  static final String METADATA = "bilgseh.json";
  static final String PARAMETERS = "bilgseh.params";
  private static final int FORMAT = 1;
  private static final int ENCODE_BATCH = 1024;

  private final Metadata metadata;
  private final Model model;
  private final HashFunctions functions;
  private final ParameterStore store;

  /** What a saved model says about itself. */
  record Metadata(
      String method,
      int format,
      int bits,
      int imageDim,
      int textDim,
      int labels,
      Map<String, String> settings)
      implements ModelFiles.Header {}

  private BilgsehModel(Metadata metadata, byte[] parameters, ai.djl.Device device)
      throws IOException {
    this.metadata = metadata;
    functions = new HashFunctions(metadata.bits());
    model =
        ModelFiles.withParameters(
            Bilgseh.NAME,
            functions,
            device,
            parameters,
            new Shape(1, metadata.imageDim()),
            new Shape(1, metadata.textDim()));
    store = new ParameterStore(model.getNDManager(), false);
  }

  static BilgsehModel fromParameters(Metadata metadata, byte[] parameters, ai.djl.Device device) {
    try {
      return new BilgsehModel(metadata, parameters, device);
    } catch (IOException e) {
      throw new IllegalStateException("could not rebuild the trained hash functions", e);
    }
  }

  /** Reads a model written by {@link #save}. */
  public static BilgsehModel load(Path dir, ai.djl.Device device) throws IOException {
    ModelFiles.Saved<Metadata> saved =
        ModelFiles.read(dir, METADATA, PARAMETERS, Metadata.class, Bilgseh.NAME, FORMAT);
    return new BilgsehModel(saved.metadata(), saved.parameters(), device);
  }

  static Metadata metadata(int bits, int imageDim, int textDim, int labels, BilgsehConfig config) {
    return new Metadata(Bilgseh.NAME, FORMAT, bits, imageDim, textDim, labels, config.asParams());
  }

  @Override
  public String method() {
    return Bilgseh.NAME;
  }

  @Override
  public int bits() {
    return metadata.bits();
  }

  public int imageDim() {
    return metadata.imageDim();
  }

  public int textDim() {
    return metadata.textDim();
  }

  /** The training settings recorded with the model. */
  public Map<String, String> settings() {
    return metadata.settings();
  }

  @Override
  public long[] encodeImages(float[][] imageFeatures) {
    return BinaryCodes.pack(embedImages(imageFeatures));
  }

  @Override
  public long[] encodeTexts(float[][] textFeatures) {
    return BinaryCodes.pack(embedTexts(textFeatures));
  }

  /** The real-valued outputs in (-1, 1) before the sign (the "float ceiling" of the codes). */
  public float[][] embedImages(float[][] imageFeatures) {
    return embed(functions.image(), imageFeatures, metadata.imageDim(), "image");
  }

  /** The real-valued outputs in (-1, 1) before the sign. */
  public float[][] embedTexts(float[][] textFeatures) {
    return embed(functions.text(), textFeatures, metadata.textDim(), "text");
  }

  private float[][] embed(
      HashFunctions.HashFunction function, float[][] rows, int dim, String modality) {
    return embed(function, store, model.getNDManager(), rows, dim, metadata.bits(), modality);
  }

  /** Runs {@code function} in inference mode over {@code rows}, one NDManager scope per chunk. */
  static float[][] embed(
      HashFunctions.HashFunction function,
      ParameterStore store,
      NDManager parent,
      float[][] rows,
      int dim,
      int bits,
      String modality) {
    float[][] out = new float[rows.length][];
    for (int from = 0; from < rows.length; from += ENCODE_BATCH) {
      int to = Math.min(rows.length, from + ENCODE_BATCH);
      float[] flat = new float[(to - from) * dim];
      for (int i = from; i < to; i++) {
        if (rows[i] == null || rows[i].length != dim) {
          throw new IllegalArgumentException(
              modality
                  + " feature "
                  + i
                  + " has "
                  + (rows[i] == null ? "no values" : rows[i].length + " values")
                  + "; this model expects "
                  + dim);
        }
        System.arraycopy(rows[i], 0, flat, (i - from) * dim, dim);
      }
      try (NDManager scope = parent.newSubManager()) {
        int n = Math.max(to - from, DjlRuntime.MIN_ROWS); // batch-independent (DjlRuntime)
        NDArray x = scope.create(DjlRuntime.padRows(flat, to - from, dim), new Shape(n, dim));
        float[] h = function.forward(store, new NDList(x), false).head().toFloatArray();
        for (int i = from; i < to; i++) {
          out[i] = java.util.Arrays.copyOfRange(h, (i - from) * bits, (i - from + 1) * bits);
        }
      }
    }
    return out;
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
