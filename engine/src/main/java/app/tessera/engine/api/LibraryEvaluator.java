package app.tessera.engine.api;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.metrics.RetrievalMetrics;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.ModelStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Evaluates a model on its library's labelled items ({@link Library#evaluate}). Reads only. */
final class LibraryEvaluator {
  /** The cutoffs of P@K and mAP@K a person looks at: the first screens of results. */
  static final int[] CUTOFFS = {1, 5, 10, 20, 50, 100};

  private LibraryEvaluator() {}

  /** One side of a ranking: items with their packed codes, features and label rows. */
  private record Side(long[] ids, long[] codes, float[][] features, float[][] labels) {
    int size() {
      return ids.length;
    }
  }

  static LibraryEvaluation evaluate(Catalog catalog, ModelStore.Model model) {
    ItemStore items = new ItemStore(catalog);
    Map<Long, List<String>> labelsById = items.labels();
    List<String> vocabulary =
        List.copyOf(new TreeSet<>(labelsById.values().stream().flatMap(List::stream).toList()));
    if (vocabulary.isEmpty()) {
      throw new IllegalStateException(
          "this library has no labels to evaluate with: import a captions CSV with a labels"
              + " column, or index with labels from folder names");
    }
    CodeStore.Codes codes = new CodeStore(catalog).load(model.id());
    int words = BinaryCodes.wordsPerCode(codes.bits());
    Map<Long, Integer> codeRow = new HashMap<>();
    for (int i = 0; i < codes.size(); i++) {
      codeRow.put(codes.itemIds()[i], i);
    }
    Map<Long, Long> imageOfCaption = new HashMap<>();
    for (ItemStore.CaptionItem caption : items.captions()) {
      imageOfCaption.put(caption.id(), caption.imageId());
    }
    LibrarySplit split = LibrarySplit.of(items);
    FeatureStore features = new FeatureStore(catalog);
    Map<Long, float[]> imageFeatures = features.all(model.imageEncoder());
    Map<Long, float[]> textFeatures = features.all(model.textEncoder());

    // Labelled, coded items by side: images and captions (a caption has its image's labels).
    List<Long> queryImages = new ArrayList<>();
    List<Long> dbImages = new ArrayList<>();
    List<Long> queryCaptions = new ArrayList<>();
    List<Long> dbCaptions = new ArrayList<>();
    for (long id : codes.itemIds()) {
      Long image = imageOfCaption.get(id);
      long owner = image != null ? image : id;
      if (!labelsById.containsKey(owner)) {
        continue;
      }
      boolean query = split.isQuery(owner);
      if (image == null) {
        (query ? queryImages : dbImages).add(id);
      } else {
        (query ? queryCaptions : dbCaptions).add(id);
      }
    }
    if (queryImages.isEmpty() && queryCaptions.isEmpty()) {
      throw new IllegalStateException(
          "this library has no labelled evaluation queries coded by "
              + model.name()
              + ": label more images (a tenth of them are held out as queries)");
    }
    Map<String, Integer> column = new HashMap<>();
    for (String label : vocabulary) {
      column.put(label, column.size());
    }
    Sides sides = new Sides(labelsById, imageOfCaption, column, codes, codeRow, words);
    List<LibraryEvaluation.Ranking> rankings = new ArrayList<>();
    rankings.add(
        rank(
            "image → text",
            sides.of(queryImages, imageFeatures),
            sides.of(dbCaptions, textFeatures),
            codes.bits()));
    rankings.add(
        rank(
            "text → image",
            sides.of(queryCaptions, textFeatures),
            sides.of(dbImages, imageFeatures),
            codes.bits()));
    return new LibraryEvaluation(
        model.name(),
        codes.bits(),
        queryImages.size(),
        dbImages.size(),
        vocabulary.size(),
        rankings);
  }

  /** Builds the sides of a ranking from item ids. */
  private record Sides(
      Map<Long, List<String>> labels,
      Map<Long, Long> imageOfCaption,
      Map<String, Integer> column,
      CodeStore.Codes codes,
      Map<Long, Integer> codeRow,
      int words) {
    Side of(List<Long> ids, Map<Long, float[]> features) {
      long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
      long[] packed = new long[idArray.length * words];
      float[][] rows = new float[idArray.length][];
      float[][] labelRows = new float[idArray.length][column.size()];
      boolean allFeatures = true;
      for (int i = 0; i < idArray.length; i++) {
        long id = idArray[i];
        System.arraycopy(codes.codes(), codeRow.get(id) * words, packed, i * words, words);
        rows[i] = features.get(id);
        allFeatures &= rows[i] != null;
        long owner = imageOfCaption.getOrDefault(id, id);
        for (String label : labels.get(owner)) {
          labelRows[i][column.get(label)] = 1f;
        }
      }
      return new Side(idArray, packed, allFeatures ? rows : null, labelRows);
    }
  }

  private static LibraryEvaluation.Ranking rank(
      String direction, Side queries, Side database, int bits) {
    Relevance relevance = Relevance.sharedLabel(queries.labels(), database.labels());
    RetrievalMetrics hamming =
        RetrievalEvaluator.hamming(queries.codes(), database.codes(), bits, relevance, CUTOFFS);
    double cosine =
        queries.features() == null || database.features() == null || queries.size() == 0
            ? Double.NaN
            : RetrievalEvaluator.cosine(queries.features(), database.features(), relevance)
                .mapAll();
    double chance = RetrievalEvaluator.chance(relevance).mapAll();
    return new LibraryEvaluation.Ranking(
        direction,
        queries.size(),
        database.size(),
        hamming.mapAll(),
        cosine,
        chance,
        hamming.cutoffs(),
        hamming.mapAtK(),
        hamming.precisionAtK(),
        hamming.precisionByRadius(),
        hamming.recallByRadius());
  }
}
