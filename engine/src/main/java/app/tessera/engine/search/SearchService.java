package app.tessera.engine.search;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.HammingSearcher;
import app.tessera.engine.index.Neighbors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Answers {@link Query queries} in the four directions (text or image to images or captions).
 *
 * <p>Each input is encoded to the hashing model's real-valued outputs; a query's code is the sign
 * of their weighted sum, minus the negative texts' (so "beach -people" moves the code away from
 * "people"), and the Hamming index returns the exact top-k of the items passing the filter. With
 * {@code rerankTop}, those best codes are re-ordered by cosine between the combined query features
 * and each result's cached features.
 *
 * <p>Thread-safe when its sources are; plain Java (the encoder hides the networks).
 */
public final class SearchService {
  private static final String CANNOT_READ = "cannot read the query image";

  private final QueryEncoder encoder;
  private final CodeSource codes;
  private final ItemCatalog catalog;
  private final FeatureSource features;

  public SearchService(
      QueryEncoder encoder, CodeSource codes, ItemCatalog catalog, FeatureSource features) {
    this.encoder = encoder;
    this.codes = codes;
    this.catalog = catalog;
    this.features = features == null ? FeatureSource.NONE : features;
  }

  /**
   * Runs a query.
   *
   * @throws NoSuchElementException when an indexed item given as query has no code
   * @throws UncheckedIOException when a query image cannot be read or decoded
   */
  public SearchResults search(Query query) {
    long started = System.nanoTime();
    int bits = encoder.bits();
    HammingSearcher index =
        query.target() == Query.Target.IMAGES ? codes.images() : codes.captions();
    if (index.bits() != bits) {
      throw new IllegalStateException(
          "the model makes " + bits + "-bit codes but the index holds " + index.bits());
    }
    Set<Long> queryItems = new HashSet<>();
    float[] hash = new float[bits];
    float[] feature = null;
    boolean allFeatures = true;
    for (int sign : new int[] {1, -1}) {
      for (Query.Part part : sign > 0 ? query.positives() : query.negatives()) {
        EncodedQuery e = encode(part.input(), bits, queryItems);
        addScaled(hash, e.hash(), sign * part.weight());
        if (e.features() == null) {
          allFeatures = false;
        } else {
          feature = feature == null ? new float[e.features().length] : feature;
          addScaled(feature, e.features(), sign * part.weight());
        }
      }
    }
    long[] code = new long[BinaryCodes.wordsPerCode(bits)];
    BinaryCodes.packInto(hash, code, 0);

    LongPredicate filter = filter(query, queryItems);
    boolean rerank = query.rerankTop() > 0 && allFeatures && feature != null;
    int candidates = rerank ? Math.max(query.top(), query.rerankTop()) : query.top();
    Neighbors found = index.search(code, candidates, filter);

    List<Scored> scored = new ArrayList<>(found.count());
    for (int i = 0; i < found.count(); i++) {
      double score = 1 - found.distance(i) / (double) bits;
      scored.add(new Scored(found.id(i), found.distance(i), score, Double.NaN));
    }
    if (rerank) {
      rerank(scored, feature, query.target());
    }
    List<SearchHit> hits = new ArrayList<>(Math.min(query.top(), scored.size()));
    for (Scored s : scored.subList(0, Math.min(query.top(), scored.size()))) {
      hits.add(hit(s, query.target()));
    }
    return new SearchResults(hits, rerank, Duration.ofNanos(System.nanoTime() - started));
  }

  private record Scored(long id, int distance, double score, double cosine) {}

  private EncodedQuery encode(Query.Input input, int bits, Set<Long> queryItems) {
    try {
      EncodedQuery e =
          switch (input) {
            case Query.Text t -> encoder.encodeText(t.text());
            case Query.ImageFile f -> encoder.encodeImage(f.path());
            case Query.ImageBytes b -> encoder.encodeImage(b.bytes());
            case Query.IndexedItem item -> {
              queryItems.add(item.itemId());
              long[] stored =
                  codes
                      .imageCode(item.itemId())
                      .orElseThrow(
                          () ->
                              new NoSuchElementException(
                                  "item " + item.itemId() + " has no code for this model"));
              yield EncodedQuery.ofCode(
                  stored, bits, features.imageFeatures(new long[] {item.itemId()})[0]);
            }
          };
      if (e.hash().length != bits) {
        throw new IllegalStateException(
            "encoder gave " + e.hash().length + " hash outputs for a " + bits + "-bit model");
      }
      return e;
    } catch (IOException ex) {
      // The encoder's message names the image already; say it once ("cannot read … x.png: …").
      String message = String.valueOf(ex.getMessage());
      throw new UncheckedIOException(
          message.startsWith(CANNOT_READ) ? message : CANNOT_READ + ": " + message, ex);
    }
  }

  /** Adds {@code weight * v / |v|}, so every input counts by its weight, not its scale. */
  private static void addScaled(float[] sum, float[] v, double weight) {
    if (sum.length != v.length) {
      throw new IllegalStateException("query parts of different lengths: " + v.length);
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      return;
    }
    double scale = weight / Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      sum[i] += (float) (v[i] * scale);
    }
  }

  /** The exact filter inside the scan: catalogue filter, and query items left out. */
  private LongPredicate filter(Query query, Set<Long> queryItems) {
    LongPredicate items = query.filter().isEmpty() ? null : catalog.itemsMatching(query.filter());
    if (!queryItems.isEmpty()) {
      LongPredicate base = items;
      items = id -> !queryItems.contains(id) && (base == null || base.test(id));
    }
    if (items == null || query.target() == Query.Target.IMAGES) {
      return items;
    }
    LongPredicate itemTest = items;
    return captionId ->
        catalog.caption(captionId).map(c -> itemTest.test(c.itemId())).orElse(false);
  }

  /** Orders by cosine (results without features keep their Hamming order, after the others). */
  private void rerank(List<Scored> scored, float[] query, Query.Target target) {
    long[] ids = scored.stream().mapToLong(Scored::id).toArray();
    float[][] rows =
        target == Query.Target.IMAGES ? features.imageFeatures(ids) : features.captionFeatures(ids);
    for (int i = 0; i < scored.size(); i++) {
      Scored s = scored.get(i);
      float[] f = rows[i];
      if (f != null && f.length == query.length) {
        double cos = cosine(query, f);
        scored.set(i, new Scored(s.id(), s.distance(), (1 + cos) / 2, cos));
      }
    }
    // Stable: equal cosines keep the Hamming order.
    scored.sort(
        Comparator.comparingDouble(
            (Scored s) -> Double.isNaN(s.cosine()) ? Double.POSITIVE_INFINITY : -s.cosine()));
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private SearchHit hit(Scored s, Query.Target target) {
    if (target == Query.Target.IMAGES) {
      ItemCatalog.Item item =
          catalog
              .item(s.id())
              .orElseThrow(() -> new IllegalStateException("indexed item " + s.id() + " unknown"));
      return new SearchHit(item.id(), -1, item.path(), item.caption(), s.distance(), s.score());
    }
    ItemCatalog.Caption caption =
        catalog
            .caption(s.id())
            .orElseThrow(() -> new IllegalStateException("indexed caption " + s.id() + " unknown"));
    ItemCatalog.Item item =
        catalog
            .item(caption.itemId())
            .orElseThrow(() -> new IllegalStateException("item " + caption.itemId() + " unknown"));
    return new SearchHit(
        item.id(), caption.id(), item.path(), caption.text(), s.distance(), s.score());
  }
}
