package app.tessera.engine.api;

import app.tessera.engine.encode.TokenRows;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.hashing.Validation;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.ItemKind;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Trains a hashing model on a library's own items: the features come from a pair of encoders
 * (cached in the catalogue, so nothing is decoded again), token features from the same encoders
 * when the method reads them, labels from the items' labels when the method needs them. The
 * library's evaluation queries ({@link LibrarySplit}), images and their captions, are left out of
 * every fit.
 *
 * <p>A label-free method (ITQ) fits on every other image and caption feature the library holds,
 * paired or not. The others learn from image-caption pairs: a seeded tenth of the trainable
 * captioned images (with all their captions) is held out, and the model's validation mAP on them is
 * compared with chance ({@link Validation#chance}). The result is a new bundle: the encoders plus
 * the new model.
 */
final class LibraryTraining {
  private LibraryTraining() {}

  /**
   * What was trained on and how it did.
   *
   * @param pairs image-caption pairs trained and validated on (0 for a label-free fit)
   * @param labels distinct labels
   * @param rows feature rows fitted on
   * @param validation validation mAP, NaN when not measured (label-free, or no validation rows)
   * @param chance the best validation mAP of random codings of the same rows, NaN likewise
   */
  record Result(int pairs, int labels, int rows, double validation, double chance) {}

  /**
   * Trains on the features {@code base} has cached for the library (cache them first, and the token
   * features for a method that reads them: {@link Coder#cache}) and writes the new bundle into
   * {@code bundleDir}.
   */
  static Result train(
      Catalog catalog,
      EncoderPair base,
      HashingMethod method,
      TrainingOptions options,
      String name,
      Path bundleDir,
      TrainingListener listener,
      Consumer<String> progress)
      throws IOException {
    FeatureStore features = new FeatureStore(catalog);
    ItemStore items = new ItemStore(catalog);
    boolean tokens = method.needsTokens();
    Coder.Feature tokenFeature = tokens ? Coder.Feature.tokens(base) : null;
    Map<Long, float[]> imageFeatures = features.all(base.imageEncoder().id());
    Map<Long, float[]> captionFeatures = features.all(base.textEncoder().id());
    Map<Long, float[]> imageTokens =
        tokens ? features.all(tokenFeature.id(ItemKind.IMAGE)) : Map.of();
    Map<Long, float[]> captionTokens =
        tokens ? features.all(tokenFeature.id(ItemKind.CAPTION)) : Map.of();
    LibrarySplit split = LibrarySplit.of(items);
    if (method.labelFree()) {
      Map<Long, float[]> trainableImages = new TreeMap<>();
      imageFeatures.forEach(
          (id, row) -> {
            if (split.trainable(id)) {
              trainableImages.put(id, row);
            }
          });
      Map<Long, float[]> trainableCaptions = new TreeMap<>();
      for (ItemStore.CaptionItem caption : items.captions()) {
        float[] row = captionFeatures.get(caption.id());
        if (row != null && split.trainable(caption.imageId())) {
          trainableCaptions.put(caption.id(), row);
        }
      }
      return fitLabelFree(
          catalog,
          base,
          method,
          options,
          name,
          bundleDir,
          trainableImages,
          trainableCaptions,
          progress);
    }
    Map<Long, List<String>> itemLabels = items.labels();
    List<String> vocabulary =
        List.copyOf(new TreeSet<>(itemLabels.values().stream().flatMap(List::stream).toList()));
    if (method.needsLabels() && vocabulary.isEmpty()) {
      throw new IllegalArgumentException(
          "method '"
              + method.name()
              + "' needs labels and this library has none (import them with import-captions, or"
              + " use --labels-from-folders when indexing); 'contrastive' needs none");
    }

    // Pairs by image, in id order, so the validation split is reproducible. Evaluation queries
    // are left out: a model is never trained or selected on them.
    Map<Long, List<Long>> captionsByImage = new TreeMap<>();
    for (ItemStore.CaptionItem caption : items.captions()) {
      boolean usable =
          captionFeatures.containsKey(caption.id())
              && imageFeatures.containsKey(caption.imageId())
              && split.trainable(caption.imageId())
              && (!tokens
                  || (captionTokens.containsKey(caption.id())
                      && imageTokens.containsKey(caption.imageId())));
      if (usable) {
        captionsByImage
            .computeIfAbsent(caption.imageId(), k -> new ArrayList<>())
            .add(caption.id());
      }
    }
    if (captionsByImage.size() < 10) {
      throw new IllegalArgumentException(
          "training needs at least 10 captioned images besides the evaluation queries; this"
              + " library has "
              + captionsByImage.size());
    }
    Random random = new Random(options.seed());
    Pairs fit = new Pairs();
    Pairs validation = new Pairs();
    for (var entry : captionsByImage.entrySet()) {
      Pairs target = random.nextDouble() < 0.1 ? validation : fit;
      long image = entry.getKey();
      float[] labels = multiHot(itemLabels.get(image), vocabulary);
      for (long caption : entry.getValue()) {
        target.add(
            imageFeatures.get(image),
            captionFeatures.get(caption),
            labels,
            imageTokens.get(image),
            captionTokens.get(caption));
      }
    }
    progress.accept(
        "training "
            + method.name()
            + " on "
            + fit.size()
            + " pairs ("
            + validation.size()
            + " held out for validation)");
    boolean labelled = !vocabulary.isEmpty();
    FeatureSet validationSet = validation.toFeatureSet(labelled, tokens ? base : null);
    try (HashModel model =
        method.train(
            fit.toFeatureSet(labelled, tokens ? base : null), validationSet, options, listener)) {
      write(catalog, base, name, bundleDir, model);
      double score = Validation.score(model, validationSet);
      double chance = Validation.chance(validationSet, model.bits(), options.seed());
      return new Result(
          fit.size() + validation.size(), vocabulary.size(), fit.size(), score, chance);
    }
  }

  /** Fits a label-free method on the given image and caption features (by item id). */
  private static Result fitLabelFree(
      Catalog catalog,
      EncoderPair base,
      HashingMethod method,
      TrainingOptions options,
      String name,
      Path bundleDir,
      Map<Long, float[]> imageFeatures,
      Map<Long, float[]> captionFeatures,
      Consumer<String> progress)
      throws IOException {
    float[][] images = new TreeMap<>(imageFeatures).values().toArray(float[][]::new);
    float[][] texts = new TreeMap<>(captionFeatures).values().toArray(float[][]::new);
    progress.accept(
        "fitting "
            + method.name()
            + " on "
            + images.length
            + " images and "
            + texts.length
            + " captions (no labels, no pairs)");
    try (HashModel model = method.fit(images, texts, options)) {
      write(catalog, base, name, bundleDir, model);
    }
    return new Result(0, 0, images.length + texts.length, Double.NaN, Double.NaN);
  }

  private static void write(
      Catalog catalog, EncoderPair base, String name, Path bundleDir, HashModel model)
      throws IOException {
    ModelBundle.write(
        bundleDir,
        new ModelBundle.Manifest(
            name,
            model.method(),
            model.bits(),
            base.imageKind(),
            base.textKind(),
            "trained on library " + catalog.file().getFileName() + " with " + base.describe()),
        base,
        model);
  }

  private static float[] multiHot(List<String> labels, List<String> vocabulary) {
    float[] row = new float[vocabulary.size()];
    if (labels != null) {
      for (String label : labels) {
        int at = vocabulary.indexOf(label);
        if (at >= 0) {
          row[at] = 1f;
        }
      }
    }
    return row;
  }

  /** Growing lists of paired rows. */
  private static final class Pairs {
    private final List<float[]> images = new ArrayList<>();
    private final List<float[]> texts = new ArrayList<>();
    private final List<float[]> labels = new ArrayList<>();
    private final List<float[]> imageTokens = new ArrayList<>();
    private final List<float[]> textTokens = new ArrayList<>();

    void add(float[] image, float[] text, float[] label, float[] imageToken, float[] textToken) {
      images.add(image);
      texts.add(text);
      labels.add(label);
      imageTokens.add(imageToken);
      textTokens.add(textToken);
    }

    int size() {
      return images.size();
    }

    /** The rows, with the token features of {@code tokensOf} when it is not null. */
    FeatureSet toFeatureSet(boolean withLabels, EncoderPair tokensOf) {
      return new FeatureSet(
          images.toArray(float[][]::new),
          texts.toArray(float[][]::new),
          withLabels ? labels.toArray(float[][]::new) : null,
          tokensOf == null
              ? null
              : new TokenRows(
                  tokensOf.imageEncoder().tokens().orElseThrow(),
                  imageTokens.toArray(float[][]::new)),
          tokensOf == null
              ? null
              : new TokenRows(
                  tokensOf.textEncoder().tokens().orElseThrow(),
                  textTokens.toArray(float[][]::new)));
    }
  }
}
