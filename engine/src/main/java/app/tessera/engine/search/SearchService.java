package app.tessera.engine.search;

import app.tessera.engine.TesseraException;
import app.tessera.engine.code.AsymmetricDistance;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.HammingSearcher;
import app.tessera.engine.index.Neighbors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Answers {@link Query queries} in the four directions (text or image to images or captions).
 *
 * <p>Each input is encoded to the hashing model's real-valued outputs; a query's code is the sign
 * of their weighted sum, minus the negative texts' (so "beach -people" moves the code away from
 * "people"), and the Hamming index returns the exact top-k of the items passing the filter. Results
 * at equal distance are ordered by {@link TieBreak} (the combined real-valued outputs against each
 * candidate's code, then feature cosine) unless the query asks for insertion order; the index is
 * then asked for {@link TieBreak#CANDIDATES} codes so that the tie groups at the head are complete.
 * With {@code rerankTop}, the best codes are instead re-ordered by cosine between the combined
 * query features and each result's cached features.
 *
 * <p>In a library with captions, a text query (and any query for captions) is also matched against
 * the captions, unless it asks not to ({@link Query#matchCaptions()}): the rankings by the images'
 * codes, the captions' codes and the captions' words (full text, for text queries) are fused by
 * reciprocal rank ({@link Fusion}), and each result says which of them found it ({@link
 * SearchHit#reasons()}).
 *
 * <p>Thread-safe when its sources are; plain Java (the encoder hides the networks).
 */
public final class SearchService {
  private static final String CANNOT_READ = "cannot read the query image";

  private final QueryEncoder encoder;
  private final CodeSource codes;
  private final ItemCatalog catalog;
  private final FeatureSource features;
  private final CaptionWordIndex words;

  /** Each fused ranking is cut at this depth (or the query's top, if larger). */
  static final int FUSION_DEPTH = 100;

  /** Reciprocal-rank fusion's constant: rank r counts {@code 1 / (RRF_K + r)}, r from 1. */
  static final int RRF_K = 60;

  /** A service without a full-text index (captions found by their codes only). */
  public SearchService(
      QueryEncoder encoder, CodeSource codes, ItemCatalog catalog, FeatureSource features) {
    this(encoder, codes, catalog, features, CaptionWordIndex.NONE);
  }

  public SearchService(
      QueryEncoder encoder,
      CodeSource codes,
      ItemCatalog catalog,
      FeatureSource features,
      CaptionWordIndex words) {
    this.encoder = encoder;
    this.codes = codes;
    this.catalog = catalog;
    this.features = features == null ? FeatureSource.NONE : features;
    this.words = words == null ? CaptionWordIndex.NONE : words;
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
    for (HammingSearcher index : List.of(codes.images(), codes.captions())) {
      if (index.bits() != bits) {
        throw new IllegalStateException(
            "the model makes " + bits + "-bit codes but the index holds " + index.bits());
      }
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
    Ranking ranking =
        new Ranking(query, queryItems, code, hash, allFeatures ? feature : null, bits);

    List<SearchHit> hits;
    if (fuses(query)) {
      hits = fused(ranking);
    } else {
      MatchReason reason =
          query.target() == Query.Target.IMAGES ? MatchReason.IMAGE : MatchReason.CAPTION_MEANING;
      hits = new ArrayList<>();
      for (Scored s : rank(ranking, query.target(), query.top())) {
        hits.add(hit(s.id(), s.distance(), s.score(), EnumSet.of(reason), query.target()));
      }
    }
    return new SearchResults(hits, ranking.rerank(), Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Whether the query is fused with the captions: a text query, or any query for captions, in a
   * library with captions. An image looking for images ranks by image codes alone, so that the same
   * picture (and its near copies) comes first.
   */
  private boolean fuses(Query query) {
    boolean text = query.positives().stream().anyMatch(p -> p.input() instanceof Query.Text);
    return query.matchCaptions()
        && codes.captions().size() > 0
        && (text || query.target() == Query.Target.CAPTIONS);
  }

  /** What every ranking of one query shares. */
  private record Ranking(
      Query query, Set<Long> queryItems, long[] code, float[] hash, float[] feature, int bits) {
    boolean rerank() {
      return query.rerankTop() > 0 && feature != null;
    }
  }

  /**
   * The first {@code depth} results of one index ({@code target}'s codes) by Hamming distance,
   * equal distances by {@link TieBreak} or insertion order, or re-ranked by features.
   */
  private List<Scored> rank(Ranking r, Query.Target target, int depth) {
    Query query = r.query();
    HammingSearcher index = target == Query.Target.IMAGES ? codes.images() : codes.captions();
    boolean rerank = r.rerank();
    boolean breakTies = query.breakTies() && !rerank;
    int candidates =
        rerank
            ? Math.max(depth, query.rerankTop())
            : breakTies ? Math.max(depth, TieBreak.CANDIDATES) : depth;
    candidates = (int) Math.max(1, Math.min(candidates, index.size())); // never more than there are
    Neighbors found = index.search(r.code(), candidates, filter(query, r.queryItems(), target));

    List<Scored> scored = new ArrayList<>(found.count());
    for (int i = 0; i < found.count(); i++) {
      double score = 1 - found.distance(i) / (double) r.bits();
      scored.add(new Scored(found.id(i), found.distance(i), score, Double.NaN));
    }
    if (rerank) {
      rerank(scored, r.feature(), target);
    } else if (breakTies) {
      breakTies(scored, depth, r.hash(), r.feature(), target);
    }
    return scored.subList(0, Math.min(depth, scored.size()));
  }

  /**
   * Reciprocal-rank fusion of the rankings a library with captions has: by the images' codes, by
   * the captions' codes and, for a text query, by the captions' words (BM25), each cut at {@link
   * #FUSION_DEPTH}. A result's score is {@code Σ 1 / (RRF_K + rank)} over the rankings that hold it
   * (an image's rank through its captions is its best caption's; a caption's rank through its image
   * is the image's), and it says which they were. An item without captions is found by its image
   * code alone, as without fusion; a library without captions ranks as without fusion.
   */
  private List<SearchHit> fused(Ranking r) {
    Query query = r.query();
    int depth = Math.max(query.top(), FUSION_DEPTH);
    List<Long> byImage = ids(rank(r, Query.Target.IMAGES, depth));
    List<Long> byCaption = ids(rank(r, Query.Target.CAPTIONS, depth));
    List<Long> byWords = wordMatches(r, depth);

    Fusion fusion = new Fusion(RRF_K);
    if (query.target() == Query.Target.IMAGES) {
      fusion.add(MatchReason.IMAGE, byImage);
      fusion.add(MatchReason.CAPTION_MEANING, itemsOf(byCaption));
      fusion.add(MatchReason.CAPTION_WORDS, itemsOf(byWords));
    } else {
      fusion.add(MatchReason.CAPTION_MEANING, byCaption);
      fusion.add(MatchReason.CAPTION_WORDS, byWords);
      fusion.addGroups(MatchReason.IMAGE, byImage, this::captionIdsOf);
    }
    List<SearchHit> hits = new ArrayList<>(query.top());
    for (Fusion.Entry e : fusion.best(query.top())) {
      long[] own =
          (query.target() == Query.Target.IMAGES
                  ? codes.imageCode(e.id())
                  : codes.captionCode(e.id()))
              .orElse(null);
      int distance = own == null ? -1 : BinaryCodes.distance(r.code(), 0, own, 0, own.length);
      hits.add(
          hit(e.id(), distance, e.score() / fusion.bestPossible(), e.reasons(), query.target()));
    }
    return hits;
  }

  /** Caption ids matched by the positive texts' words, passing the query's filter. */
  private List<Long> wordMatches(Ranking r, int depth) {
    List<String> texts = texts(r.query().positives());
    if (texts.isEmpty()) {
      return List.of();
    }
    LongPredicate filter = filter(r.query(), r.queryItems(), Query.Target.CAPTIONS);
    List<Long> out = new ArrayList<>();
    for (long id : words.match(texts, texts(r.query().negatives()), depth)) {
      // A caption the model has not coded yet is left out, as from the code rankings.
      boolean coded = codes.captionCode(id).isPresent();
      if (coded && catalog.caption(id).isPresent() && (filter == null || filter.test(id))) {
        out.add(id);
      }
    }
    return out;
  }

  private static List<String> texts(List<Query.Part> parts) {
    List<String> out = new ArrayList<>();
    for (Query.Part part : parts) {
      if (part.input() instanceof Query.Text t) {
        out.add(t.text());
      }
    }
    return out;
  }

  private static List<Long> ids(List<Scored> scored) {
    return scored.stream().map(Scored::id).toList();
  }

  /**
   * The items of captions, in order, each once (at its best caption's place); items whose image the
   * model has not coded yet are left out.
   */
  private List<Long> itemsOf(List<Long> captionIds) {
    Set<Long> seen = new LinkedHashSet<>();
    for (long id : captionIds) {
      catalog
          .caption(id)
          .filter(c -> codes.imageCode(c.itemId()).isPresent())
          .ifPresent(c -> seen.add(c.itemId()));
    }
    return new ArrayList<>(seen);
  }

  /** The coded captions of an item. */
  private List<Long> captionIdsOf(long itemId) {
    return catalog.captionsOf(itemId).stream()
        .map(ItemCatalog.Caption::id)
        .filter(id -> codes.captionCode(id).isPresent())
        .toList();
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
      throw new TesseraException(
          TesseraException.Kind.IO,
          null,
          message.startsWith(CANNOT_READ) ? message : CANNOT_READ + ": " + message,
          ex);
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
  private LongPredicate filter(Query query, Set<Long> queryItems, Query.Target target) {
    LongPredicate items = query.filter().isEmpty() ? null : catalog.itemsMatching(query.filter());
    if (!queryItems.isEmpty()) {
      LongPredicate base = items;
      items = id -> !queryItems.contains(id) && (base == null || base.test(id));
    }
    if (items == null || target == Query.Target.IMAGES) {
      return items;
    }
    LongPredicate itemTest = items;
    return captionId ->
        catalog.caption(captionId).map(c -> itemTest.test(c.itemId())).orElse(false);
  }

  /**
   * Orders the tie groups that reach into the first {@code top} results by {@link TieBreak}; the
   * groups beyond are not shown and keep their order. Features are read only for the candidates
   * that still tie after the asymmetric distance (items sharing a code) within the shown head.
   */
  private void breakTies(
      List<Scored> scored, int top, float[] hash, float[] query, Query.Target target) {
    if (scored.size() <= 1) {
      return;
    }
    int last = scored.get(Math.min(top, scored.size()) - 1).distance();
    int n = 0;
    while (n < scored.size() && scored.get(n).distance() <= last) {
      n++;
    }
    AsymmetricDistance asymmetric = new AsymmetricDistance(hash);
    List<Scored> original = new ArrayList<>(scored.subList(0, n));
    List<TieBreak.Candidate> head = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Scored s = original.get(i);
      Optional<long[]> code =
          target == Query.Target.IMAGES ? codes.imageCode(s.id()) : codes.captionCode(s.id());
      long asym = code.map(c -> asymmetric.to(c, 0)).orElse(Long.MAX_VALUE);
      head.add(new TieBreak.Candidate(i, s.distance(), asym, Double.NaN)); // id: position here
    }
    head.sort(TieBreak.ORDER);
    if (query != null) {
      withCosines(head, original, Math.min(top, n), query, target);
      head.sort(TieBreak.ORDER);
    }
    for (int i = 0; i < n; i++) {
      scored.set(i, original.get((int) head.get(i).id()));
    }
  }

  /**
   * Sets the feature cosine of the candidates in runs of equal (distance, asymmetric distance) that
   * reach into the first {@code shown}; features are read in one batch.
   */
  private void withCosines(
      List<TieBreak.Candidate> head,
      List<Scored> original,
      int shown,
      float[] query,
      Query.Target target) {
    List<Integer> tied = new ArrayList<>();
    for (int a = 0; a < shown; ) {
      int b = a + 1;
      while (b < head.size() && sameKey(head.get(a), head.get(b))) {
        b++;
      }
      for (int i = a; b - a > 1 && i < b; i++) {
        tied.add(i);
      }
      a = b;
    }
    if (tied.isEmpty()) {
      return;
    }
    long[] ids = new long[tied.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = original.get((int) head.get(tied.get(i)).id()).id();
    }
    float[][] rows =
        target == Query.Target.IMAGES ? features.imageFeatures(ids) : features.captionFeatures(ids);
    for (int i = 0; i < ids.length; i++) {
      TieBreak.Candidate c = head.get(tied.get(i));
      float[] f = rows[i];
      if (f != null && f.length == query.length) {
        head.set(
            tied.get(i),
            new TieBreak.Candidate(
                c.id(), c.distance(), c.asymmetric(), TieBreak.cosine(query, f)));
      }
    }
  }

  private static boolean sameKey(TieBreak.Candidate a, TieBreak.Candidate b) {
    return a.distance() == b.distance() && a.asymmetric() == b.asymmetric();
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
        double cos = TieBreak.cosine(query, f);
        scored.set(i, new Scored(s.id(), s.distance(), (1 + cos) / 2, cos));
      }
    }
    // Stable: equal cosines keep the Hamming order.
    scored.sort(
        Comparator.comparingDouble(
            (Scored s) -> Double.isNaN(s.cosine()) ? Double.POSITIVE_INFINITY : -s.cosine()));
  }

  private SearchHit hit(
      long id, int distance, double score, Set<MatchReason> reasons, Query.Target target) {
    if (target == Query.Target.IMAGES) {
      ItemCatalog.Item item =
          catalog
              .item(id)
              .orElseThrow(() -> new IllegalStateException("indexed item " + id + " unknown"));
      return new SearchHit(item.id(), -1, item.path(), item.caption(), distance, score, reasons);
    }
    ItemCatalog.Caption caption =
        catalog
            .caption(id)
            .orElseThrow(() -> new IllegalStateException("indexed caption " + id + " unknown"));
    ItemCatalog.Item item =
        catalog
            .item(caption.itemId())
            .orElseThrow(() -> new IllegalStateException("item " + caption.itemId() + " unknown"));
    return new SearchHit(
        item.id(), caption.id(), item.path(), caption.text(), distance, score, reasons);
  }
}
