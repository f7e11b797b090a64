package app.tessera.engine.api;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.Hashes;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import app.tessera.engine.download.ModelPack;
import app.tessera.engine.encode.ImageEncoder;
import app.tessera.engine.encode.TextEncoder;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.search.QueryEncoder;
import app.tessera.engine.store.StoredImage;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a library needs to turn items and queries into codes: an image encoder, a text encoder
 * and a hashing model, kept together in one folder so they can never be mixed up.
 *
 * <pre>
 * bundle.json      name, method, bits, the encoders by name (and id), the SHA-256 of every file
 * image-encoder/   the image encoder's saved form (Tessera's CNN; absent for CLIP)
 * hash/            the hashing model's saved form ({@link HashModel#save})
 * </pre>
 *
 * MiniLM ships inside the application; a CLIP encoder is the installed pack whose pinned files the
 * manifest records ({@link EncoderPair}). Every file's SHA-256 is checked before anything is
 * loaded: a damaged or changed bundle is refused, never half-used ({@code
 * docs/decisions/0010-bundles-name-encoders-and-checksums.md}).
 */
public final class ModelBundle implements AutoCloseable {
  public static final String MANIFEST = "bundle.json";
  static final String IMAGE_ENCODER_DIR = "image-encoder";
  static final String HASH_DIR = "hash";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /**
   * What a bundle holds.
   *
   * @param name a short unique name, e.g. {@code default-emoji-64}
   * @param imageEncoder the image encoder by name: {@code tessera-cnn} or {@code clip}
   * @param textEncoder the text encoder by name: {@code minilm} or {@code clip}
   * @param files every file of the bundle, relative to its folder ('/'-separated), so a bundle
   *     shipped as classpath resources can be unpacked; filled in by {@link #write}
   * @param sha256 the SHA-256 of each of {@code files}, checked on load; filled in by {@link
   *     #write}
   * @param imageEncoderId the exact image encoder the codes come from (its feature id), checked on
   *     load when recorded
   * @param textEncoderId the exact text encoder, likewise
   * @param pack the CLIP pack with its pinned files, when an encoder is {@code clip}
   */
  public record Manifest(
      String name,
      String method,
      int bits,
      String imageEncoder,
      String textEncoder,
      String description,
      List<String> files,
      Map<String, String> sha256,
      String imageEncoderId,
      String textEncoderId,
      ModelPack pack) {
    public Manifest {
      files = files == null ? List.of() : List.copyOf(files);
      sha256 = sha256 == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(sha256));
    }

    public Manifest(
        String name,
        String method,
        int bits,
        String imageEncoder,
        String textEncoder,
        String description) {
      this(
          name,
          method,
          bits,
          imageEncoder,
          textEncoder,
          description,
          List.of(),
          null,
          null,
          null,
          null);
    }
  }

  private final Path dir;
  private final Manifest manifest;
  private final EncoderPair encoders;
  private final HashModel hashModel;
  private final boolean ownsEncoders;

  private ModelBundle(
      Path dir,
      Manifest manifest,
      EncoderPair encoders,
      HashModel hashModel,
      boolean ownsEncoders) {
    this.dir = dir;
    this.manifest = manifest;
    this.encoders = encoders;
    this.hashModel = hashModel;
    this.ownsEncoders = ownsEncoders;
  }

  /**
   * Loads the bundle in {@code dir}; networks run on {@code device}; CLIP from the models folder.
   */
  public static ModelBundle open(Path dir, Device device) throws IOException {
    return open(dir, device, AppDirs.modelsDir());
  }

  /**
   * Loads the bundle in {@code dir} after checking every file against its recorded SHA-256; a CLIP
   * encoder comes from the pack installed in {@code packsDir}.
   *
   * @throws BundleChecksumException when a file is missing, changed or not recorded
   */
  public static ModelBundle open(Path dir, Device device, Path packsDir) throws IOException {
    Manifest manifest = verified(dir);
    EncoderPair encoders = openEncoders(dir, manifest, device, packsDir);
    try {
      HashModel hash = HashingMethods.byName(manifest.method()).load(dir.resolve(HASH_DIR));
      if (hash.bits() != manifest.bits()) {
        hash.close();
        throw new IOException(
            "Bundle " + dir + " says " + manifest.bits() + " bits, its model has " + hash.bits());
      }
      return new ModelBundle(dir, manifest, encoders, hash, true);
    } catch (IOException | RuntimeException e) {
      encoders.close();
      throw e;
    }
  }

  /**
   * The bundle in {@code dir} (checked as by {@link #open}) with {@code encoders}, already open,
   * which must be the ones it names; they stay the caller's (closing the bundle leaves them open).
   */
  static ModelBundle withEncoders(Path dir, EncoderPair encoders) throws IOException {
    Manifest manifest = verified(dir);
    if (!manifest.imageEncoder().equals(encoders.imageKind())
        || !manifest.textEncoder().equals(encoders.textKind())
        || !encoders.imageEncoder().id().equals(manifest.imageEncoderId())
        || !encoders.textEncoder().id().equals(manifest.textEncoderId())) {
      throw new IOException("Bundle " + dir + " was not made with " + encoders.describe());
    }
    HashModel hash = HashingMethods.byName(manifest.method()).load(dir.resolve(HASH_DIR));
    return new ModelBundle(dir, manifest, encoders, hash, false);
  }

  /** The encoders of the bundle in {@code dir} (checked as by {@link #open}), without its model. */
  static EncoderPair encodersOf(Path dir, Device device) throws IOException {
    return openEncoders(dir, verified(dir), device, AppDirs.modelsDir());
  }

  private static EncoderPair openEncoders(Path dir, Manifest manifest, Device device, Path packsDir)
      throws IOException {
    EncoderPair encoders =
        EncoderPair.open(
            manifest.imageEncoder(),
            manifest.textEncoder(),
            dir.resolve(IMAGE_ENCODER_DIR),
            manifest.pack(),
            packsDir,
            device);
    String image = encoders.imageEncoder().id();
    String text = encoders.textEncoder().id();
    if ((manifest.imageEncoderId() != null && !manifest.imageEncoderId().equals(image))
        || (manifest.textEncoderId() != null && !manifest.textEncoderId().equals(text))) {
      encoders.close();
      throw new IOException(
          "Bundle "
              + dir
              + " was made with the encoders "
              + manifest.imageEncoderId()
              + " + "
              + manifest.textEncoderId()
              + ", these are "
              + image
              + " + "
              + text
              + ": its codes would not match");
    }
    return encoders;
  }

  /** The manifest of {@code dir}, as it says (nothing checked against it yet). */
  static Manifest readManifest(Path dir) throws IOException {
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          dir,
          dir
              + " is not a Tessera model bundle (no "
              + MANIFEST
              + "): give a folder that 'tessera train --save' wrote");
    }
    try {
      return JSON.readValue(manifestFile.toFile(), Manifest.class);
    } catch (JacksonException e) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          manifestFile,
          manifestFile + " is not a valid bundle manifest (" + e.getOriginalMessage() + ")",
          e);
    }
  }

  /** The manifest of {@code dir}, after every file it lists hashed to its recorded SHA-256. */
  private static Manifest verified(Path dir) throws IOException {
    Manifest manifest = readManifest(dir);
    if (manifest.sha256() == null) {
      throw new BundleChecksumException(
          "Refusing model bundle "
              + dir
              + ": its "
              + MANIFEST
              + " records no SHA-256 of its files (written by an older Tessera), so a damaged or"
              + " changed file could not be told apart. Train or save it again.");
    }
    for (String file : manifest.files()) {
      String recorded = manifest.sha256().get(file);
      Path path = dir.resolve(file).normalize();
      if (recorded == null || !path.startsWith(dir.normalize())) {
        throw new BundleChecksumException(
            "Refusing model bundle " + dir + ": no SHA-256 recorded for its file " + file);
      }
      if (!Files.isRegularFile(path)) {
        throw new BundleChecksumException(
            "Refusing model bundle " + dir + ": its file " + file + " is missing");
      }
      String actual = Hashes.sha256(path);
      if (!actual.equals(recorded)) {
        throw new BundleChecksumException(
            "Refusing model bundle "
                + dir
                + ": "
                + file
                + " has SHA-256 "
                + actual
                + ", "
                + MANIFEST
                + " records "
                + recorded
                + " (a damaged or changed file). Restore the bundle from a copy, or train it"
                + " again.");
      }
    }
    if (!manifest.sha256().keySet().equals(Set.copyOf(manifest.files()))) {
      throw new BundleChecksumException(
          "Refusing model bundle " + dir + ": its file list and its checksums disagree");
    }
    return manifest;
  }

  /**
   * Writes a Tessera CNN + MiniLM bundle into {@code dir}: the manifest, a copy of the image
   * encoder's folder and the hashing model, with the SHA-256 of every file.
   */
  public static void write(Path dir, Manifest manifest, Path imageEncoderDir, HashModel hashModel)
      throws IOException {
    write(dir, manifest, imageEncoderDir, null, null, null, hashModel);
  }

  /**
   * Writes a bundle of {@code encoders} and {@code hashModel} into {@code dir}: the manifest (the
   * encoders by name and id, their CLIP pack's pins), the CNN's folder when the image encoder is
   * Tessera's, the hashing model, and the SHA-256 of every file.
   */
  public static void write(Path dir, Manifest manifest, EncoderPair encoders, HashModel hashModel)
      throws IOException {
    Manifest named =
        new Manifest(
            manifest.name(),
            manifest.method(),
            manifest.bits(),
            encoders.imageKind(),
            encoders.textKind(),
            manifest.description());
    write(
        dir,
        named,
        encoders.imageEncoderDir(),
        encoders.imageEncoder().id(),
        encoders.textEncoder().id(),
        encoders.pack(),
        hashModel);
  }

  private static void write(
      Path dir,
      Manifest manifest,
      Path imageEncoderDir,
      String imageEncoderId,
      String textEncoderId,
      ModelPack pack,
      HashModel hashModel)
      throws IOException {
    Files.createDirectories(dir);
    if (imageEncoderDir != null) {
      copyFolder(imageEncoderDir, dir.resolve(IMAGE_ENCODER_DIR));
    }
    hashModel.save(dir.resolve(HASH_DIR));
    Map<String, String> sha256 = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        String name = dir.relativize(f).toString().replace('\\', '/');
        if (!name.equals(MANIFEST) && !name.startsWith(".")) {
          sha256.put(name, Hashes.sha256(f));
        }
      }
    }
    Manifest complete =
        new Manifest(
            manifest.name(),
            manifest.method(),
            manifest.bits(),
            manifest.imageEncoder(),
            manifest.textEncoder(),
            manifest.description(),
            List.copyOf(sha256.keySet()),
            sha256,
            imageEncoderId != null ? imageEncoderId : manifest.imageEncoderId(),
            textEncoderId != null ? textEncoderId : manifest.textEncoderId(),
            pack != null ? pack : manifest.pack());
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
    return encoders.imageEncoder();
  }

  public TextEncoder textEncoder() {
    return encoders.textEncoder();
  }

  /** The bundle's encoders (closed with the bundle when it opened them). */
  public EncoderPair encoders() {
    return encoders;
  }

  public HashModel hashModel() {
    return hashModel;
  }

  /**
   * Queries encoded as the app's searches encode them (texts and images to the hash model's
   * real-valued outputs and features); for a benchmark that drives a {@code SearchService} itself.
   */
  public QueryEncoder queryEncoder() {
    return new BundleQueryEncoder(this);
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
    return pixels.isEmpty() ? new float[0][] : imageEncoder().encode(pixels);
  }

  /** The text encoder's features of caption texts (each encoded alone: batch-independent). */
  public float[][] encodeTexts(List<String> texts) {
    return texts.isEmpty() ? new float[0][] : textEncoder().encode(texts);
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
    try {
      hashModel.close();
    } finally {
      if (ownsEncoders) {
        encoders.close();
      }
    }
  }
}
