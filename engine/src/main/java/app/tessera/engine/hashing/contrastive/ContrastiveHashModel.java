package app.tessera.engine.hashing.contrastive;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.train.DjlRuntime;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained {@link ContrastiveHashing} model: the two hash heads and their metadata. Saved as
 * {@code heads.params} (DJL parameter format) and {@code model.json} ({@link Metadata}).
 */
final class ContrastiveHashModel implements HashModel {
  static final String PARAMS_FILE = "heads.params";
  static final String METADATA_FILE = "model.json";
  private static final int ENCODE_BATCH = 1024;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What {@code model.json} records.
   *
   * @param method always {@code contrastive}
   * @param formatVersion version of this layout
   * @param bits code length
   * @param imageDim length of the image features the model reads
   * @param textDim length of the text features the model reads
   * @param settings the hyper-parameters, by name
   * @param seed the training seed
   * @param epochsTrained epochs run before stopping
   * @param bestEpoch the epoch whose weights were kept (1-based)
   * @param validationScore the validation score of those weights (mean i2t/t2i mAP)
   */
  record Metadata(
      String method,
      int formatVersion,
      int bits,
      int imageDim,
      int textDim,
      Map<String, String> settings,
      long seed,
      int epochsTrained,
      int bestEpoch,
      double validationScore) {}

  private final Model model;
  private final HashHeads heads;
  private final Metadata metadata;

  ContrastiveHashModel(Model model, HashHeads heads, Metadata metadata) {
    this.model = model;
    this.heads = heads;
    this.metadata = metadata;
  }

  Metadata metadata() {
    return metadata;
  }

  ContrastiveHashModel withMetadata(Metadata updated) {
    return new ContrastiveHashModel(model, heads, updated);
  }

  @Override
  public String method() {
    return ContrastiveHashing.NAME;
  }

  @Override
  public int bits() {
    return metadata.bits();
  }

  @Override
  public long[] encodeImages(float[][] imageFeatures) {
    return encode(heads.image(), imageFeatures, metadata.imageDim(), "image");
  }

  @Override
  public long[] encodeTexts(float[][] textFeatures) {
    return encode(heads.text(), textFeatures, metadata.textDim(), "text");
  }

  /** tanh outputs (not yet signs) of one head, for training-time scoring and tests. */
  synchronized float[][] outputs(Block head, float[][] features, int dim, String what) {
    float[][] out = new float[features.length][];
    for (int start = 0; start < features.length; start += ENCODE_BATCH) {
      int end = Math.min(features.length, start + ENCODE_BATCH);
      try (NDManager batch = model.getNDManager().newSubManager()) {
        float[][] rows = normalisedRows(features, start, end, dim, what);
        if (rows.length < DjlRuntime.MIN_ROWS) { // batch-independent results (DjlRuntime)
          float[][] padded = new float[DjlRuntime.MIN_ROWS][];
          for (int i = 0; i < padded.length; i++) {
            padded[i] = i < rows.length ? rows[i] : new float[dim];
          }
          rows = padded;
        }
        NDArray x = batch.create(rows);
        NDArray h = head.forward(new ParameterStore(batch, false), new NDList(x), false).head();
        float[] flat = h.toFloatArray();
        int bits = bits();
        for (int i = start; i < end; i++) {
          out[i] = java.util.Arrays.copyOfRange(flat, (i - start) * bits, (i - start + 1) * bits);
        }
      }
    }
    return out;
  }

  private long[] encode(Block head, float[][] features, int dim, String what) {
    return BinaryCodes.pack(outputs(head, features, dim, what));
  }

  HashHeads heads() {
    return heads;
  }

  /** Rows {@code start..end} of {@code rows}, each scaled to unit length (zero rows stay zero). */
  static float[][] normalisedRows(float[][] rows, int start, int end, int dim, String what) {
    float[][] out = new float[end - start][];
    for (int i = start; i < end; i++) {
      float[] row = rows[i];
      if (row.length != dim) {
        throw new IllegalArgumentException(
            "this model reads " + dim + "-d " + what + " features, got " + row.length + "-d");
      }
      double norm = 0;
      for (float v : row) {
        norm += v * v;
      }
      float scale = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
      float[] scaled = new float[dim];
      for (int j = 0; j < dim; j++) {
        scaled[j] = row[j] * scale;
      }
      out[i - start] = scaled;
    }
    return out;
  }

  @Override
  public synchronized void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeParams(heads, dir.resolve(PARAMS_FILE));
    JSON.writeValue(dir.resolve(METADATA_FILE).toFile(), metadata);
  }

  static void writeParams(Block block, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp));
        DataOutputStream data = new DataOutputStream(out)) {
      block.saveParameters(data);
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static void readParams(Block block, NDManager manager, Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      readParams(block, manager, in);
    }
  }

  static void readParams(Block block, NDManager manager, InputStream in) throws IOException {
    try (DataInputStream data = new DataInputStream(in)) {
      block.loadParameters(manager, data);
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException("corrupt hash-head parameters: " + e.getMessage(), e);
    }
  }

  /** Loads a model written by {@link #save}. */
  static ContrastiveHashModel load(Path dir, ai.djl.Device device) throws IOException {
    Path metadataFile = dir.resolve(METADATA_FILE);
    if (!Files.isRegularFile(metadataFile)) {
      throw new IOException("not a contrastive model folder (no " + METADATA_FILE + "): " + dir);
    }
    Metadata metadata = JSON.readValue(metadataFile.toFile(), Metadata.class);
    if (!ContrastiveHashing.NAME.equals(metadata.method())) {
      throw new IOException(dir + " holds a '" + metadata.method() + "' model, not contrastive");
    }
    ContrastiveSettings settings =
        ContrastiveSettings.from(
            new app.tessera.engine.hashing.TrainingOptions(
                metadata.bits(), 1, 0, app.tessera.engine.Device.CPU, null, metadata.settings()));
    HashHeads heads = new HashHeads(metadata.bits(), settings.hidden(), settings.dropout());
    Model model = Model.newInstance("contrastive-" + metadata.bits(), device, "PyTorch");
    try {
      model.setBlock(heads);
      heads.initialize(
          model.getNDManager(),
          DataType.FLOAT32,
          new Shape(1, metadata.imageDim()),
          new Shape(1, metadata.textDim()));
      readParams(heads, model.getNDManager(), dir.resolve(PARAMS_FILE));
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
    return new ContrastiveHashModel(model, heads, metadata);
  }

  @Override
  public synchronized void close() {
    model.close();
  }
}
