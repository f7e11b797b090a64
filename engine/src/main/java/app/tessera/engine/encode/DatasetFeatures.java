package app.tessera.engine.encode;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Hashes;
import app.tessera.engine.train.TrainingListener;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Float features of a dataset's image-caption pairs, in one shared space: MiniLM for captions and
 * Tessera's CNN, trained on the dataset's training rows, for images. Everything is cached under
 * {@code <cache root>/}: the trained CNN per (dataset fingerprint, training settings) and the
 * features per (dataset fingerprint, encoder id), so a second call returns at once and never
 * decodes an image again. The dataset folder itself is never written. {@link #encode} does the same
 * with a pretrained pair of encoders (CLIP's towers), with nothing to train.
 *
 * <p>Typical use (the eval harness):
 *
 * <pre>{@code
 * DatasetFeatures.Result f = DatasetFeatures.compute(datasetDir, TesseraCnnTrainer.Options.defaults(),
 *     System.err::println);
 * float[][] images = f.images(); // row i = manifest row i
 * float[][] texts = f.texts();
 * }</pre>
 */
public final class DatasetFeatures {
  private DatasetFeatures() {}

  /**
   * One image-caption pair.
   *
   * @param id a key unique within the dataset (the manifest's {@code id})
   * @param image the image file
   * @param caption its caption
   * @param training whether the row may be used for training (never a query row)
   */
  public record Pair(String id, Path image, String caption, boolean training, List<String> labels) {
    public Pair {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(caption, "caption");
      labels = List.copyOf(labels);
    }

    /** A pair without labels. */
    public Pair(String id, Path image, String caption, boolean training) {
      this(id, image, caption, training, List.of());
    }
  }

  /**
   * Features of every pair, row {@code i} for pair {@code i}, unit length.
   *
   * @param fingerprint the dataset fingerprint used in cache paths
   * @param imageEncoderDir the folder of the trained image encoder (loadable with {@link
   *     TesseraCnnImageEncoder#load}); null for pretrained encoders ({@link #encode})
   * @param training the encoder's training summary (from its metadata); empty for pretrained ones
   * @param imageTokens each pair's image region tokens ({@link ImageEncoder#encodeTokens}), or null
   *     when not asked for
   * @param textTokens each pair's caption word tokens ({@link TextEncoder#encodeTokens}), or null
   */
  public record Result(
      List<String> ids,
      float[][] images,
      float[][] texts,
      String imageEncoderId,
      String textEncoderId,
      String fingerprint,
      Path imageEncoderDir,
      Map<String, Object> training,
      TokenRows imageTokens,
      TokenRows textTokens) {
    /** Whether the token-level features were computed. */
    public boolean hasTokens() {
      return imageTokens != null && textTokens != null;
    }
  }

  /** The default cache root, {@code <data dir>/cache}. */
  public static Path defaultCacheRoot() {
    return AppDirs.dataDir().resolve("cache");
  }

  /**
   * Reads {@code datasetDir/manifest.csv} ({@code id,image,caption,labels,split}); rows whose split
   * names {@code train} are training rows.
   */
  public static List<Pair> readManifest(Path datasetDir) throws IOException {
    Path manifest = datasetDir.resolve("manifest.csv");
    if (!Files.isRegularFile(manifest)) {
      throw new IOException("No manifest.csv in " + datasetDir);
    }
    CsvMapper mapper = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Pair> pairs = new ArrayList<>();
    try (MappingIterator<Map<String, String>> rows =
        mapper.readerFor(Map.class).with(schema).readValues(manifest.toFile())) {
      int line = 1;
      while (rows.hasNext()) {
        line++;
        Map<String, String> row = rows.next();
        String id = row.get("id");
        String image = row.get("image");
        String caption = row.get("caption");
        String split = row.getOrDefault("split", "");
        if (id == null || image == null || caption == null) {
          throw new IOException(
              manifest + " line " + line + ": needs the columns id, image, caption (and split)");
        }
        String labels = row.getOrDefault("labels", "");
        pairs.add(
            new Pair(
                id,
                datasetDir.resolve(image),
                caption,
                split != null && split.contains("train"),
                labels == null || labels.isBlank()
                    ? List.of()
                    : Arrays.stream(labels.split(";")).map(String::strip).toList()));
      }
    }
    return pairs;
  }

  /** Features of the dataset folder {@code datasetDir} under the default cache root. */
  public static Result compute(
      Path datasetDir, TesseraCnnTrainer.Options options, Consumer<String> progress)
      throws IOException {
    return compute(readManifest(datasetDir), options, defaultCacheRoot(), progress);
  }

  /**
   * Features of {@code pairs}: trains (or loads the cached) image encoder on the training pairs,
   * then encodes every pair, reading cached features where present.
   */
  public static Result compute(
      List<Pair> pairs,
      TesseraCnnTrainer.Options options,
      Path cacheRoot,
      Consumer<String> progress)
      throws IOException {
    return compute(pairs, options, cacheRoot, false, progress);
  }

  /**
   * Like {@link #compute(List, TesseraCnnTrainer.Options, Path, Consumer)}; with {@code tokens}
   * also the token-level features of both encoders ({@link Result#imageTokens()}, {@link
   * Result#textTokens()}), cached the same way.
   */
  public static Result compute(
      List<Pair> pairs,
      TesseraCnnTrainer.Options options,
      Path cacheRoot,
      boolean tokens,
      Consumer<String> progress)
      throws IOException {
    String fingerprint = fingerprint(nonEmpty(pairs));
    return compute(
        pairs, fingerprint, store(cacheRoot, fingerprint), options, cacheRoot, tokens, progress);
  }

  /**
   * Like {@link #compute(List, TesseraCnnTrainer.Options, Path, Consumer)} with features kept in
   * {@code store} (e.g. a library catalogue's features table, keyed by {@link Pair#id()}); {@code
   * fingerprint} names the data in the trained encoder's cache folder under {@code cacheRoot}.
   */
  public static Result compute(
      List<Pair> pairs,
      String fingerprint,
      FeatureStore store,
      TesseraCnnTrainer.Options options,
      Path cacheRoot,
      Consumer<String> progress)
      throws IOException {
    return compute(pairs, fingerprint, store, options, cacheRoot, false, progress);
  }

  private static Result compute(
      List<Pair> pairs,
      String fingerprint,
      FeatureStore store,
      TesseraCnnTrainer.Options options,
      Path cacheRoot,
      boolean tokens,
      Consumer<String> progress)
      throws IOException {
    List<String> ids = uniqueIds(pairs);
    float[][] texts;
    TokenRows textTokens = null;
    String textId;
    try (MiniLmTextEncoder text = MiniLmTextEncoder.open(cacheRoot.resolve("minilm"))) {
      textId = text.id();
      texts = captions(pairs, ids, store, text.id(), text::encode, progress);
      if (tokens) {
        textTokens = textTokens(pairs, ids, store, text, progress);
      }
    }
    Path encoderDir =
        cacheRoot
            .resolve("encoders")
            .resolve(fingerprint)
            .resolve(optionsKey(options, textId, pairs));
    TesseraCnnImageEncoder image = loadOrTrain(pairs, texts, textId, options, encoderDir, progress);
    try {
      return new Result(
          ids,
          images(pairs, ids, store, image.id(), image.inputSize(), image::encode, progress),
          texts,
          image.id(),
          textId,
          fingerprint,
          encoderDir,
          image.metadata().training(),
          tokens ? imageTokens(pairs, ids, store, image, progress) : null,
          textTokens);
    } finally {
      image.close();
    }
  }

  /**
   * Features of {@code pairs} from pretrained encoders that already share a space (CLIP's two
   * towers): nothing is trained. Cached under {@code cacheRoot} per dataset and encoder, like
   * {@link #compute}; the result has no image-encoder folder.
   */
  public static Result encode(
      List<Pair> pairs,
      ImageEncoder image,
      TextEncoder text,
      Path cacheRoot,
      Consumer<String> progress)
      throws IOException {
    return encode(pairs, image, text, cacheRoot, false, progress);
  }

  /**
   * Like {@link #encode(List, ImageEncoder, TextEncoder, Path, Consumer)}; with {@code tokens} also
   * the encoders' token-level features (an encoder without them is refused).
   */
  public static Result encode(
      List<Pair> pairs,
      ImageEncoder image,
      TextEncoder text,
      Path cacheRoot,
      boolean tokens,
      Consumer<String> progress)
      throws IOException {
    List<String> ids = uniqueIds(nonEmpty(pairs));
    String fingerprint = fingerprint(pairs);
    FeatureStore store = store(cacheRoot, fingerprint);
    return new Result(
        ids,
        images(pairs, ids, store, image.id(), image.inputSize(), image::encode, progress),
        captions(pairs, ids, store, text.id(), text::encode, progress),
        image.id(),
        text.id(),
        fingerprint,
        null,
        Map.of(),
        tokens ? imageTokens(pairs, ids, store, image, progress) : null,
        tokens ? textTokens(pairs, ids, store, text, progress) : null);
  }

  private static List<Pair> nonEmpty(List<Pair> pairs) {
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("no image-caption pairs");
    }
    return pairs;
  }

  private static List<String> uniqueIds(List<Pair> pairs) {
    List<String> ids = pairs.stream().map(Pair::id).toList();
    if (ids.stream().distinct().count() != ids.size()) {
      throw new IllegalArgumentException("pair ids must be unique");
    }
    return ids;
  }

  /** The feature cache of one dataset (by fingerprint) under {@code cacheRoot}. */
  private static FeatureStore store(Path cacheRoot, String fingerprint) {
    return new FileFeatureStore(cacheRoot.resolve("features").resolve(fingerprint));
  }

  private static TokenRows textTokens(
      List<Pair> pairs,
      List<String> ids,
      FeatureStore store,
      TextEncoder text,
      Consumer<String> progress)
      throws IOException {
    Tokens shape = Tokens.required(text.tokens(), text.id());
    return new TokenRows(
        shape, captions(pairs, ids, store, shape.cacheId(text.id()), text::encodeTokens, progress));
  }

  /** Rows of {@code cacheId} per pair, each distinct caption encoded once by {@code encode}. */
  private static float[][] captions(
      List<Pair> pairs,
      List<String> ids,
      FeatureStore store,
      String cacheId,
      Function<List<String>, float[][]> encode,
      Consumer<String> progress)
      throws IOException {
    return CachedFeatures.get(
        store,
        cacheId,
        ids,
        missing -> {
          // Styles of one concept share a caption: encode each distinct caption once.
          List<String> distinct =
              missing.stream().map(i -> pairs.get(i).caption()).distinct().toList();
          progress.accept("Encoding " + distinct.size() + " distinct captions with " + cacheId);
          float[][] unique = encode.apply(distinct);
          Map<String, float[]> byCaption = new java.util.HashMap<>();
          for (int k = 0; k < distinct.size(); k++) {
            byCaption.put(distinct.get(k), unique[k]);
          }
          return missing.stream()
              .map(i -> byCaption.get(pairs.get(i).caption()))
              .toArray(float[][]::new);
        });
  }

  private static TokenRows imageTokens(
      List<Pair> pairs,
      List<String> ids,
      FeatureStore store,
      ImageEncoder image,
      Consumer<String> progress)
      throws IOException {
    Tokens shape = Tokens.required(image.tokens(), image.id());
    return new TokenRows(
        shape,
        images(
            pairs,
            ids,
            store,
            shape.cacheId(image.id()),
            image.inputSize(),
            image::encodeTokens,
            progress));
  }

  /** Rows of {@code cacheId} per pair; missing ones decoded and computed by {@code encode}. */
  private static float[][] images(
      List<Pair> pairs,
      List<String> ids,
      FeatureStore store,
      String cacheId,
      int inputSize,
      Function<List<BufferedImage>, float[][]> encode,
      Consumer<String> progress)
      throws IOException {
    return CachedFeatures.get(
        store,
        cacheId,
        ids,
        missing -> {
          progress.accept("Encoding " + missing.size() + " images with " + cacheId);
          return encode.apply(decode(pairs, missing, inputSize));
        });
  }

  private static TesseraCnnImageEncoder loadOrTrain(
      List<Pair> pairs,
      float[][] texts,
      String textId,
      TesseraCnnTrainer.Options options,
      Path encoderDir,
      Consumer<String> progress)
      throws IOException {
    if (Files.isRegularFile(encoderDir.resolve(TesseraCnnImageEncoder.METADATA))) {
      try {
        return TesseraCnnImageEncoder.load(encoderDir, options.device());
      } catch (IOException damaged) {
        progress.accept("Cached image encoder unusable (" + damaged.getMessage() + "), retraining");
      }
    }
    List<Integer> trainRows =
        IntStream.range(0, pairs.size()).filter(i -> pairs.get(i).training()).boxed().toList();
    if (trainRows.size() < 2) {
      throw new IllegalArgumentException(
          "the dataset has " + trainRows.size() + " training rows; at least 2 are needed");
    }
    progress.accept("Decoding " + trainRows.size() + " training images");
    List<BufferedImage> images = decode(pairs, trainRows, options.inputSize());
    float[][] trainTexts = trainRows.stream().map(i -> texts[i]).toArray(float[][]::new);
    List<String> groups = trainRows.stream().map(i -> pairs.get(i).caption()).toList();
    List<List<String>> labels = trainRows.stream().map(i -> pairs.get(i).labels()).toList();
    progress.accept(
        "Training the image encoder on "
            + trainRows.size()
            + " pairs ("
            + options.inputSize()
            + " px, up to "
            + options.maxEpochs()
            + " epochs, budget "
            + options.timeBudget().toMinutes()
            + " min)");
    TrainingListener listener =
        (epoch, epochs, loss, score) ->
            progress.accept(
                String.format(
                    "  epoch %d/%d  loss %.4f  validation mAP %.4f", epoch, epochs, loss, score));
    TesseraCnnTrainer.Result result =
        TesseraCnnTrainer.train(images, trainTexts, groups, labels, textId, options, listener);
    progress.accept(
        String.format(
            "Image encoder trained in %.1f s: best epoch %d, validation mAP %.4f",
            result.seconds(), result.bestEpoch(), result.bestValidationScore()));
    result.encoder().save(encoderDir);
    return result.encoder();
  }

  /** Decodes the images of {@code rows} in parallel into model-input images. */
  static List<BufferedImage> decode(List<Pair> pairs, List<Integer> rows, int size) {
    return rows.parallelStream()
        .map(
            i -> {
              try {
                return ModelInputImages.load(pairs.get(i).image(), size);
              } catch (IOException e) {
                throw new UncheckedIOException(
                    "Cannot read the image of " + pairs.get(i).id() + ": " + e.getMessage(), e);
              }
            })
        .toList();
  }

  /**
   * A content fingerprint of the pairs (ids, captions, training flags and image bytes), so a copy
   * of a dataset shares its cache and an edited one does not.
   */
  public static String fingerprint(List<Pair> pairs) throws IOException {
    String[] imageHashes = new String[pairs.size()];
    try {
      IntStream.range(0, pairs.size())
          .parallel()
          .forEach(i -> imageHashes[i] = Hashes.sha256Unchecked(pairs.get(i).image()));
    } catch (UncheckedIOException e) {
      throw new IOException("Cannot read a dataset image: " + e.getCause().getMessage(), e);
    }
    MessageDigest digest = Hashes.sha256();
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      String line =
          p.id()
              + '\u0000'
              + p.caption()
              + '\u0000'
              + p.training()
              + '\u0000'
              + imageHashes[i]
              + '\n';
      digest.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /**
   * The cache key of a training configuration (device and time budget excluded); with a label term,
   * the training rows' labels are part of it (they are not in the dataset fingerprint).
   */
  static String optionsKey(TesseraCnnTrainer.Options o, String textId, List<Pair> pairs) {
    String labels = "";
    if (o.labelWeight() > 0) {
      StringBuilder all = new StringBuilder();
      for (Pair p : pairs) {
        if (p.training()) {
          all.append(p.id()).append('\u0000').append(String.join(";", p.labels())).append('\n');
        }
      }
      labels =
          ",labels "
              + o.labelWeight()
              + " "
              + Hashes.sha256(all.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }
    String settings =
        String.join(
                ",",
                "v" + TesseraCnn.VERSION,
                Integer.toString(o.inputSize()),
                Integer.toString(o.width()),
                Integer.toString(o.batchSize()),
                Integer.toString(o.maxEpochs()),
                Integer.toString(o.patience()),
                Double.toString(o.learningRate()),
                Double.toString(o.temperature()),
                Double.toString(o.validationFraction()),
                Long.toString(o.seed()),
                textId)
            + labels;
    return "tessera-cnn-"
        + o.inputSize()
        + "px-"
        + Hashes.sha256(settings.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
  }
}
