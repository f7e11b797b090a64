package app.tessera.engine.api;

import app.tessera.engine.Device;
import app.tessera.engine.encode.ImageEncoder;
import app.tessera.engine.encode.MiniLmTextEncoder;
import app.tessera.engine.encode.TesseraCnnImageEncoder;
import app.tessera.engine.encode.TextEncoder;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.store.StoredImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything a library needs to turn items and queries into codes: an image encoder, a text encoder
 * and a hashing model, kept together in one folder so they can never be mixed up.
 *
 * <pre>
 * bundle.json      name, method, bits, encoder kinds, description
 * image-encoder/   the image encoder's saved form (Tessera's CNN)
 * hash/            the hashing model's saved form ({@link HashModel#save})
 * </pre>
 *
 * The text encoder is MiniLM, which ships inside the application and needs no files here.
 */
public final class ModelBundle implements AutoCloseable {
  public static final String MANIFEST = "bundle.json";
  static final String IMAGE_ENCODER_DIR = "image-encoder";
  static final String HASH_DIR = "hash";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What a bundle holds.
   *
   * @param name a short unique name, e.g. {@code default-emoji-64}
   * @param imageEncoder the kind of image encoder ({@code tessera-cnn})
   * @param textEncoder the kind of text encoder ({@code minilm})
   * @param files every file of the bundle, relative to its folder ('/'-separated), so a bundle
   *     shipped as classpath resources can be unpacked; filled in by {@link #write}
   */
  public record Manifest(
      String name,
      String method,
      int bits,
      String imageEncoder,
      String textEncoder,
      String description,
      List<String> files) {
    public Manifest {
      files = files == null ? List.of() : List.copyOf(files);
    }

    public Manifest(
        String name,
        String method,
        int bits,
        String imageEncoder,
        String textEncoder,
        String description) {
      this(name, method, bits, imageEncoder, textEncoder, description, List.of());
    }
  }

  private final Path dir;
  private final Manifest manifest;
  private final ImageEncoder imageEncoder;
  private final TextEncoder textEncoder;
  private final HashModel hashModel;

  private ModelBundle(
      Path dir,
      Manifest manifest,
      ImageEncoder imageEncoder,
      TextEncoder textEncoder,
      HashModel hashModel) {
    this.dir = dir;
    this.manifest = manifest;
    this.imageEncoder = imageEncoder;
    this.textEncoder = textEncoder;
    this.hashModel = hashModel;
  }

  /** Loads the bundle in {@code dir}; networks run on {@code device}. */
  public static ModelBundle open(Path dir, Device device) throws IOException {
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException("Not a Tessera model bundle (no " + MANIFEST + "): " + dir);
    }
    Manifest manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
    if (!"tessera-cnn".equals(manifest.imageEncoder())
        || !"minilm".equals(manifest.textEncoder())) {
      throw new IOException(
          "Unsupported encoders in "
              + manifestFile
              + ": "
              + manifest.imageEncoder()
              + " + "
              + manifest.textEncoder());
    }
    ImageEncoder image = null;
    TextEncoder text = null;
    try {
      image = TesseraCnnImageEncoder.load(dir.resolve(IMAGE_ENCODER_DIR), device);
      text = MiniLmTextEncoder.open();
      HashModel hash = HashingMethods.byName(manifest.method()).load(dir.resolve(HASH_DIR));
      if (hash.bits() != manifest.bits()) {
        throw new IOException(
            "Bundle " + dir + " says " + manifest.bits() + " bits, its model has " + hash.bits());
      }
      return new ModelBundle(dir, manifest, image, text, hash);
    } catch (IOException | RuntimeException e) {
      if (image != null) {
        image.close();
      }
      if (text != null) {
        text.close();
      }
      throw e;
    }
  }

  /**
   * Writes a bundle into {@code dir}: the manifest, a copy of the image encoder's folder and the
   * hashing model.
   */
  public static void write(Path dir, Manifest manifest, Path imageEncoderDir, HashModel hashModel)
      throws IOException {
    Files.createDirectories(dir);
    copyFolder(imageEncoderDir, dir.resolve(IMAGE_ENCODER_DIR));
    hashModel.save(dir.resolve(HASH_DIR));
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .map(f -> dir.relativize(f).toString().replace('\\', '/'))
          .filter(name -> !name.equals(MANIFEST))
          .sorted()
          .forEach(files::add);
    }
    Manifest complete =
        new Manifest(
            manifest.name(),
            manifest.method(),
            manifest.bits(),
            manifest.imageEncoder(),
            manifest.textEncoder(),
            manifest.description(),
            files);
    JSON.writeValue(dir.resolve(MANIFEST).toFile(), complete);
  }

  /**
   * Unpacks a bundle shipped as classpath resources under {@code resourceDir} (e.g. {@code
   * /app/tessera/models/default}) into {@code target}, once: a complete unpacked copy is reused.
   * Returns {@code target}.
   */
  public static Path unpack(Class<?> anchor, String resourceDir, Path target) throws IOException {
    byte[] manifestBytes = resource(anchor, resourceDir + "/" + MANIFEST);
    Manifest manifest = JSON.readValue(manifestBytes, Manifest.class);
    Path done = target.resolve(".unpacked");
    if (Files.isRegularFile(done)) {
      return target;
    }
    Files.createDirectories(target);
    for (String file : manifest.files()) {
      Path out = target.resolve(file).normalize();
      if (!out.startsWith(target)) {
        throw new IOException("bundle file outside its folder: " + file);
      }
      Files.createDirectories(out.getParent());
      Files.write(out, resource(anchor, resourceDir + "/" + file));
    }
    Files.write(target.resolve(MANIFEST), manifestBytes);
    Files.createFile(done);
    return target;
  }

  private static byte[] resource(Class<?> anchor, String name) throws IOException {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return in.readAllBytes();
    }
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file)) {
          Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  public Path dir() {
    return dir;
  }

  public Manifest manifest() {
    return manifest;
  }

  public ImageEncoder imageEncoder() {
    return imageEncoder;
  }

  public TextEncoder textEncoder() {
    return textEncoder;
  }

  public HashModel hashModel() {
    return hashModel;
  }

  /**
   * The image encoder's features of images given as the model inputs ingest stored for them
   * (decoded from those bytes, never from the original file). The Spark job encodes through here
   * with the same encoders library coding uses ({@code Coder}'s pooled features), so the same
   * stored bytes give the same features, and so the same codes (docs/scale-out.md).
   */
  public float[][] encodeModelInputs(List<StoredImage> modelInputs) {
    List<BufferedImage> pixels = new ArrayList<>(modelInputs.size());
    for (StoredImage input : modelInputs) {
      pixels.add(input.toImage());
    }
    return pixels.isEmpty() ? new float[0][] : imageEncoder.encode(pixels);
  }

  /** The text encoder's features of caption texts (each encoded alone: batch-independent). */
  public float[][] encodeTexts(List<String> texts) {
    return texts.isEmpty() ? new float[0][] : textEncoder.encode(texts);
  }

  /** The packed codes ({@code BinaryCodes} layout) of image features. */
  public long[] hashImages(float[][] features) {
    return features.length == 0 ? new long[0] : hashModel.encodeImages(features);
  }

  /** The packed codes ({@code BinaryCodes} layout) of text features. */
  public long[] hashTexts(float[][] features) {
    return features.length == 0 ? new long[0] : hashModel.encodeTexts(features);
  }

  @Override
  public void close() {
    hashModel.close();
    textEncoder.close();
    imageEncoder.close();
  }
}
