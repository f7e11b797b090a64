package app.tessera.engine.encode;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import app.tessera.engine.Device;
import app.tessera.engine.Hashes;
import app.tessera.engine.train.DjlRuntime;
import app.tessera.engine.train.Weights;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tessera's own image encoder ({@link TesseraCnn}) trained by {@link TesseraCnnTrainer}: maps
 * images into the text encoder's feature space, L2-normalised.
 *
 * <p>On disk a model is a folder with {@value #WEIGHTS} (DJL parameters) and {@value #METADATA}
 * (architecture, training summary, the weights' SHA-256). {@link #load} checks the hash before it
 * trusts the weights. The model's parameters live in its own native manager until {@link #close()};
 * each {@link #encode} call works in a sub-scope closed before it returns.
 */
public final class TesseraCnnImageEncoder implements ImageEncoder {
  public static final String WEIGHTS = "tessera-cnn.params";
  public static final String METADATA = "tessera-cnn.json";
  private static final int BATCH = 256;

  /** Region tokens per side: the last feature map pooled onto a 3×3 grid. */
  static final int REGION_GRID = 3;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What {@value #METADATA} holds.
   *
   * @param format always {@code tessera-cnn}
   * @param version the {@link TesseraCnn#VERSION} of the layer layout
   * @param textEncoder the id of the text encoder whose space the images were mapped into
   * @param training free-form training summary (epochs, validation score, data), for model cards
   */
  public record Metadata(
      String format,
      int version,
      int inputSize,
      int width,
      int dimension,
      String weightsSha256,
      String textEncoder,
      Map<String, Object> training) {}

  private final Model model;
  private final TesseraCnn architecture;
  private final Metadata metadata;
  private final String id;

  TesseraCnnImageEncoder(Model model, TesseraCnn architecture, Metadata metadata) {
    this.model = model;
    this.architecture = architecture;
    this.metadata = metadata;
    this.id =
        "tessera-cnn-v"
            + TesseraCnn.VERSION
            + "-"
            + architecture.inputSize()
            + "px-w"
            + architecture.width()
            + "@"
            + metadata.weightsSha256().substring(0, 12);
  }

  /** Wraps a freshly trained model: hashes its weights to build the metadata. */
  static TesseraCnnImageEncoder of(
      Model model, TesseraCnn architecture, String textEncoder, Map<String, Object> training) {
    String sha = Hashes.sha256(Weights.snapshot(model.getBlock()));
    Metadata metadata =
        new Metadata(
            "tessera-cnn",
            TesseraCnn.VERSION,
            architecture.inputSize(),
            architecture.width(),
            architecture.dimension(),
            sha,
            textEncoder,
            Map.copyOf(training));
    return new TesseraCnnImageEncoder(model, architecture, metadata);
  }

  /**
   * Loads a model written by {@link #save} onto {@code device}.
   *
   * @throws IOException when files are missing, the format is unknown, or the weights do not match
   *     the SHA-256 recorded in the metadata
   */
  public static TesseraCnnImageEncoder load(Path dir, Device device) throws IOException {
    Path metadataFile = dir.resolve(METADATA);
    Path weightsFile = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(metadataFile) || !Files.isRegularFile(weightsFile)) {
      throw new IOException(
          "Not a Tessera CNN model folder (needs " + METADATA + " and " + WEIGHTS + "): " + dir);
    }
    return load(
        Files.readAllBytes(metadataFile), Files.readAllBytes(weightsFile), dir.toString(), device);
  }

  private static TesseraCnnImageEncoder load(
      byte[] metadataJson, byte[] weights, String origin, Device device) throws IOException {
    Metadata metadata = JSON.readValue(metadataJson, Metadata.class);
    if (!"tessera-cnn".equals(metadata.format()) || metadata.version() != TesseraCnn.VERSION) {
      throw new IOException(
          "Unsupported model in "
              + origin
              + ": format "
              + metadata.format()
              + " v"
              + metadata.version()
              + " (this build reads tessera-cnn v"
              + TesseraCnn.VERSION
              + ")");
    }
    if (!Hashes.sha256(weights).equals(metadata.weightsSha256())) {
      throw new IOException(
          "Weights in " + origin + " do not match their recorded SHA-256 (file damaged?)");
    }
    TesseraCnn architecture =
        new TesseraCnn(metadata.inputSize(), metadata.width(), metadata.dimension());
    Model model = newModel(architecture, device);
    try {
      model
          .getBlock()
          .loadParameters(
              model.getNDManager(), new DataInputStream(new ByteArrayInputStream(weights)));
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IOException("Cannot read the weights in " + origin, e);
    }
    return new TesseraCnnImageEncoder(model, architecture, metadata);
  }

  /**
   * An encoder with random weights: same speed as a trained one, for throughput benchmarks only
   * (its features mean nothing).
   */
  public static TesseraCnnImageEncoder untrained(TesseraCnn architecture, Device device) {
    Model model = newModel(architecture, device);
    return of(model, architecture, "none", Map.of("untrained", true));
  }

  /** A model holding an initialised (random) block of {@code architecture}. */
  static Model newModel(TesseraCnn architecture, Device device) {
    DjlRuntime.pytorch();
    Model model = Model.newInstance("tessera-cnn", DjlRuntime.resolve(device), "PyTorch");
    Block block = architecture.newBlock();
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, architecture.inputShape(1));
    return model;
  }

  /** Writes {@value #WEIGHTS} and {@value #METADATA} into {@code dir} (created if needed). */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeAtomically(dir.resolve(WEIGHTS), Weights.snapshot(model.getBlock()));
    writeAtomically(dir.resolve(METADATA), JSON.writeValueAsBytes(metadata));
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public Metadata metadata() {
    return metadata;
  }

  public TesseraCnn architecture() {
    return architecture;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimension() {
    return architecture.dimension();
  }

  @Override
  public int inputSize() {
    return architecture.inputSize();
  }

  @Override
  public float[][] encode(List<BufferedImage> images) {
    float[][] out = new float[images.size()][];
    for (int start = 0; start < images.size(); start += BATCH) {
      int n = Math.min(BATCH, images.size() - start);
      System.arraycopy(forward(input(images, start, n), n), 0, out, start, n);
    }
    return out;
  }

  /**
   * {@value #REGION_GRID}×{@value #REGION_GRID} region tokens of the last feature map (before the
   * global average pool), {@code 8w} channels each.
   */
  @Override
  public Optional<Tokens> tokens() {
    return Optional.of(new Tokens(REGION_GRID * REGION_GRID, 8 * architecture.width()));
  }

  @Override
  public float[][] encodeTokens(List<BufferedImage> images) {
    Tokens shape = tokens().orElseThrow();
    List<Block> layers = new ArrayList<>(model.getBlock().getChildren().values());
    int convLayers = layers.size() - TesseraCnn.HEAD_LAYERS;
    float[][] out = new float[images.size()][];
    for (int start = 0; start < images.size(); start += BATCH) {
      int n = Math.min(BATCH, images.size() - start);
      try (NDManager scope = model.getNDManager().newSubManager()) {
        ParameterStore store = new ParameterStore(scope, false);
        NDArray x =
            scope.create(FloatBuffer.wrap(input(images, start, n)), architecture.inputShape(n));
        for (Block layer : layers.subList(0, convLayers)) {
          x = layer.forward(store, new NDList(x), false).singletonOrThrow();
        }
        long[] dims = x.getShape().getShape(); // n, channels, h, w
        int channels = (int) dims[1];
        int h = (int) dims[2];
        int w = (int) dims[3];
        float[] maps = x.toFloatArray();
        for (int i = 0; i < n; i++) {
          out[start + i] =
              Tokens.toHalf(
                  Tokens.regions(maps, i * channels * h * w, channels, h, w, REGION_GRID));
          if (out[start + i].length != shape.size()) {
            throw new IllegalStateException("unexpected feature map " + x.getShape());
          }
        }
      }
    }
    return out;
  }

  /** Images {@code start..start+n} as normalised planar floats, the network's input. */
  private float[] input(List<BufferedImage> images, int start, int n) {
    int size = architecture.inputSize();
    int pixels = 3 * size * size;
    float[] input = new float[n * pixels];
    for (int i = 0; i < n; i++) {
      byte[] planar =
          ModelInputImages.toPlanarBytes(ModelInputImages.toSquareRgb(images.get(start + i), size));
      for (int p = 0; p < pixels; p++) {
        input[i * pixels + p] = TesseraCnn.normalise(planar[p] & 0xff);
      }
    }
    return input;
  }

  /** Inference on {@code n} images already laid out as normalised CHW floats. */
  float[][] forward(float[] input, int n) {
    int padded = Math.max(n, DjlRuntime.MIN_ROWS); // batch-independent results (DjlRuntime)
    float[] rows = DjlRuntime.padRows(input, n, input.length / Math.max(1, n));
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray x = scope.create(FloatBuffer.wrap(rows), architecture.inputShape(padded));
      NDArray y =
          model
              .getBlock()
              .forward(new ParameterStore(scope, false), new NDList(x), false)
              .singletonOrThrow();
      return unitRows(y.toFloatArray(), n, architecture.dimension());
    }
  }

  static float[][] unitRows(float[] flat, int n, int d) {
    float[][] rows = new float[n][d];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        float v = flat[i * d + j];
        rows[i][j] = v;
        norm += v * v;
      }
      float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
      for (int j = 0; j < d; j++) {
        rows[i][j] *= inv;
      }
    }
    return rows;
  }

  @Override
  public void close() {
    model.close();
  }
}
