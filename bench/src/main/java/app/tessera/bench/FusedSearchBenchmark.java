package app.tessera.bench;

import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.HammingIndex;
import app.tessera.engine.index.HammingSearcher;
import app.tessera.engine.search.CaptionWordIndex;
import app.tessera.engine.search.CodeSource;
import app.tessera.engine.search.EncodedQuery;
import app.tessera.engine.search.FeatureSource;
import app.tessera.engine.search.ItemCatalog;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.QueryEncoder;
import app.tessera.engine.search.SearchService;
import app.tessera.engine.search.WordIndex;
import app.tessera.engine.store.CaptionWords;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What a text query costs in a captioned library of n items through the query service ({@link
 * SearchService}), the fused ranking included: the images' codes, the captions' codes and the
 * captions' words (BM25), fused by reciprocal rank; against the codes alone ({@code --no-captions})
 * and against the FTS5 word ranking the service used before.
 *
 * <p>The library is a real catalogue (schema 5, its FTS5 table kept by the triggers) of n images
 * each with one generated caption, made once and reused (its file name says n and the seed). Its
 * captions are read back as the app reads them and indexed by {@link WordIndex} as a library view
 * does. Captions: 4-14 words drawn from a 20,000-word vocabulary by a Zipf-Mandelbrot law (rank r
 * with weight 1/(r + 2.7)), the 100 most common being real caption words ("man", "white", "red",
 * ...), with a stop word before about a quarter of them. The most common word is then in about a
 * fifth of the captions, rank 100 in about 1%, the rarest in a few dozen: the shape of real caption
 * sets. Codes (64 bits) live in memory as a library's do: every image and caption on one of 100
 * codes, as label-trained codes are (the most tie-breaking work); the query's real-valued outputs
 * lie near an indexed code. Query encoding is left out (the same with or without captions).
 */
final class FusedSearchBenchmark implements QueryEncoder, CodeSource, ItemCatalog, FeatureSource {
  static final int BITS = 64;
  static final int VOCABULARY = 20_000;
  private static final int QUERIES = 200;
  private static final int PASSES = 2;
  private static final int WARM_UP = 500;
  private static final int FILL_BATCH = 10_000;
  private static final int FEATURE_DIM = 384;
  private static final int FEATURE_POOL = 4096;
  private static final int TIED_CODES = 100;
  static final String EXAMPLE = "a big red circle on white";

  /** The 100 most common words, most common first; the rest of the vocabulary is made up. */
  static final List<String> COMMON_WORDS =
      List.of(
          "man",
          "white",
          "woman",
          "red",
          "people",
          "black",
          "person",
          "blue",
          "table",
          "street",
          "two",
          "green",
          "large",
          "dog",
          "small",
          "young",
          "standing",
          "sitting",
          "water",
          "cat",
          "big",
          "front",
          "group",
          "car",
          "field",
          "yellow",
          "tree",
          "train",
          "building",
          "plate",
          "food",
          "road",
          "grass",
          "boy",
          "girl",
          "child",
          "brown",
          "top",
          "bus",
          "holding",
          "walking",
          "room",
          "city",
          "orange",
          "ball",
          "sign",
          "horse",
          "picture",
          "riding",
          "flowers",
          "circle",
          "bird",
          "face",
          "hand",
          "house",
          "beach",
          "snow",
          "sky",
          "boat",
          "window",
          "wall",
          "light",
          "pizza",
          "kitchen",
          "bed",
          "park",
          "player",
          "tennis",
          "bathroom",
          "baseball",
          "clock",
          "old",
          "little",
          "open",
          "shirt",
          "hat",
          "phone",
          "tower",
          "computer",
          "bike",
          "square",
          "star",
          "heart",
          "flag",
          "smiling",
          "arrow",
          "moon",
          "sun",
          "fruit",
          "dark",
          "night",
          "grey",
          "purple",
          "pink",
          "round",
          "tall",
          "wooden",
          "empty",
          "glass",
          "paper");

  private static final String[] STOP = {"a", "the", "on", "with", "of", "in", "and", "at"};

  /** One timed row. */
  record Row(String stage, String queries, double p50Ms, double p95Ms, int count, String note) {}

  /** Agreement of the in-memory word ranking with FTS5's, over one query class. */
  record Agreement(
      String queries,
      int compared,
      int identicalTop100,
      double overlapAt10,
      double oldOverlapAt10) {}

  private final Path file;
  private final int n;
  private final long seed;
  private final Consumer<String> log;
  private final String[] vocabulary = new String[VOCABULARY];
  private final double[] cumulative = new double[VOCABULARY];

  private Caption[] captions; // caption of image i (id 2i + 1) has id 2i + 2
  private WordIndex words;
  private HammingIndex imageIndex;
  private HammingIndex captionIndex;
  private long[] codeOf; // by position: images then captions
  private float[][] features;
  private EncodedQuery[] encoded;
  private EncodedQuery current;
  private final Map<String, Object> facts = new LinkedHashMap<>();

  FusedSearchBenchmark(Path file, int n, long seed, Consumer<String> log) {
    this.file = file;
    this.n = n;
    this.seed = seed;
    this.log = log;
    SplittableRandom random = new SplittableRandom(seed);
    Set<String> used = new HashSet<>(COMMON_WORDS);
    used.addAll(List.of(STOP));
    for (int r = 0; r < VOCABULARY; r++) {
      if (r < COMMON_WORDS.size()) {
        vocabulary[r] = COMMON_WORDS.get(r);
        continue;
      }
      String word;
      do {
        StringBuilder b = new StringBuilder();
        for (int j = 4 + random.nextInt(6); j > 0; j--) {
          b.append((char) ('a' + random.nextInt(26)));
        }
        word = b.toString();
      } while (!used.add(word));
      vocabulary[r] = word;
    }
    double sum = 0;
    for (int r = 0; r < VOCABULARY; r++) {
      sum += 1.0 / (r + 1 + 2.7);
      cumulative[r] = sum;
    }
    for (int r = 0; r < VOCABULARY; r++) {
      cumulative[r] /= sum;
    }
  }

  /** Facts of the run (sizes, build times) for the report. */
  Map<String, Object> facts() {
    return facts;
  }

  /** Makes (or reuses) the catalogue, reads its captions back and builds the in-memory parts. */
  void prepare() throws IOException {
    if (!Files.exists(file)) {
      fill();
    }
    long start = System.nanoTime();
    List<ItemStore.CaptionItem> stored;
    try (Catalog catalog = Catalog.openReadOnly(file)) {
      stored = new ItemStore(catalog).captions();
    }
    if (stored.size() != n) {
      throw new IOException(
          file + " holds " + stored.size() + " captions, not " + n + ": delete it to rebuild");
    }
    captions = new Caption[n];
    for (int i = 0; i < n; i++) {
      ItemStore.CaptionItem c = stored.get(i); // by id: image 2i + 1, its caption 2i + 2
      if (c.id() != 2L * i + 2 || c.imageId() != c.id() - 1) {
        throw new IOException(file + " was not made by this benchmark: delete it to rebuild");
      }
      captions[i] = new Caption(c.id(), c.imageId(), c.text());
    }
    facts.put("read_captions_s", seconds(start));
    start = System.nanoTime();
    words = WordIndex.build(Arrays.asList(captions));
    facts.put("word_index_build_s", seconds(start));
    facts.put("word_index_postings", words.postings());
    facts.put("word_index_ram_bytes", words.ramBytes());
    log.accept(
        String.format(
            "word index: %,d captions, %,d postings, %.0f MiB, built in %.1f s",
            words.size(),
            words.postings(),
            words.ramBytes() / 1048576.0,
            facts.get("word_index_build_s")));

    SplittableRandom random = new SplittableRandom(seed + 1);
    long[] distinct = new long[TIED_CODES];
    Arrays.setAll(distinct, i -> random.nextLong());
    codeOf = new long[2 * n];
    Arrays.setAll(codeOf, i -> distinct[random.nextInt(TIED_CODES)]);
    long[] imageIds = new long[n];
    long[] captionIds = new long[n];
    Arrays.setAll(imageIds, i -> 2L * i + 1);
    Arrays.setAll(captionIds, i -> 2L * i + 2);
    imageIndex = new HammingIndex(BITS);
    imageIndex.add(imageIds, Arrays.copyOfRange(codeOf, 0, n));
    captionIndex = new HammingIndex(BITS);
    captionIndex.add(captionIds, Arrays.copyOfRange(codeOf, n, 2 * n));
    features = new float[FEATURE_POOL][];
    Arrays.setAll(features, i -> RankingBenchmark.gaussian(random, FEATURE_DIM));
    encoded = new EncodedQuery[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      float[] hash = BinaryCodes.unpack(codeOf, random.nextInt(2 * n), BITS);
      for (int j = 0; j < BITS; j++) {
        hash[j] *= (float) (0.2 + 0.8 * random.nextDouble());
      }
      encoded[q] = new EncodedQuery(hash, RankingBenchmark.gaussian(random, FEATURE_DIM));
    }
  }

  /** The query texts of each class, {@value #QUERIES} each. */
  Map<String, List<String>> queries() {
    SplittableRandom random = new SplittableRandom(seed + 2);
    Map<String, List<String>> out = new LinkedHashMap<>();
    out.put("rare", texts(random, 3, () -> 5_000 + random.nextInt(VOCABULARY - 5_000), false));
    out.put("typical", texts(random, 3, () -> draw(random), false));
    out.put("common", texts(random, 3, () -> random.nextInt(20), false));
    out.put("long", texts(random, 6, () -> draw(random), true));
    out.put("example", java.util.Collections.nCopies(QUERIES, EXAMPLE));
    return out;
  }

  private List<String> texts(
      SplittableRandom random, int words, java.util.function.IntSupplier rank, boolean sentence) {
    List<String> out = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      Set<Integer> ranks = new java.util.LinkedHashSet<>();
      while (ranks.size() < words) {
        ranks.add(rank.getAsInt());
      }
      StringBuilder b = new StringBuilder(sentence ? "a " : "");
      for (int r : ranks) {
        b.append(vocabulary[r]).append(' ');
        if (sentence && random.nextInt(3) == 0) {
          b.append(STOP[random.nextInt(STOP.length)]).append(' ');
        }
      }
      out.add(b.toString().strip());
    }
    return out;
  }

  /** One timed stage over one query class. */
  private record Timed(String stage, String queries, String note, IntConsumer query) {}

  /**
   * Times every stage, {@value #PASSES} passes over the {@value #QUERIES} queries of each class;
   * {@code before} also times the FTS5 word ranking the service used before. The stages take turns
   * query by query, so that other jobs' load on the machine falls on all of them alike.
   */
  List<Row> run(boolean before, Consumer<Row> sink) {
    return run(before, null, sink);
  }

  /**
   * Like {@link #run(boolean, Consumer)}; with {@code model}, also whole queries whose text is
   * encoded by that bundle's text encoder and hash model (what the app does before searching), over
   * the same library.
   */
  List<Row> run(boolean before, ModelBundle model, Consumer<Row> sink) {
    Map<String, List<String>> classes = queries();
    SearchService fused = new SearchService(this, this, this, this, words);
    SearchService noWords = new SearchService(this, this, this, this, CaptionWordIndex.NONE);
    List<Timed> stages = new ArrayList<>();
    List<String> typical = classes.get("typical");
    stages.add(
        new Timed(
            "codes only (--no-captions)",
            "typical",
            "images' codes, ties broken",
            q -> search(fused, typical.get(q % QUERIES), q, false)));
    stages.add(
        new Timed(
            "fused, no word index",
            "typical",
            "images' and captions' codes, RRF",
            q -> search(noWords, typical.get(q % QUERIES), q, true)));
    for (Map.Entry<String, List<String>> c : classes.entrySet()) {
      stages.add(
          new Timed(
              "fused",
              c.getKey(),
              "codes + caption codes + WordIndex, RRF",
              q -> search(fused, c.getValue().get(q % QUERIES), q, true)));
    }
    for (Map.Entry<String, List<String>> c : classes.entrySet()) {
      stages.add(
          new Timed(
              "words alone",
              c.getKey(),
              "WordIndex top 100",
              q -> words.match(List.of(c.getValue().get(q % QUERIES)), List.of(), 100)));
    }
    if (model != null) {
      if (model.hashModel().bits() != BITS) {
        throw new IllegalArgumentException(
            model.manifest().name()
                + " has "
                + model.hashModel().bits()
                + "-bit codes, not "
                + BITS);
      }
      SearchService encoding = new SearchService(model.queryEncoder(), this, this, this, words);
      for (Map.Entry<String, List<String>> c : classes.entrySet()) {
        stages.add(
            new Timed(
                "fused, encoding included",
                c.getKey(),
                "the query text encoded by " + model.manifest().name() + ", then as fused",
                q -> encoding.search(query(c.getValue().get(q % QUERIES), true))));
      }
    }
    Catalog catalog = before ? Catalog.openReadOnly(file) : null;
    try {
      if (before) {
        CaptionWordIndex fts5 = new CaptionWords(catalog)::match;
        SearchService old = new SearchService(this, this, this, this, fts5);
        for (Map.Entry<String, List<String>> c : classes.entrySet()) {
          stages.add(
              new Timed(
                  "before: words alone",
                  c.getKey(),
                  "FTS5 query, words in > 20,000 captions left out",
                  q -> fts5.match(List.of(c.getValue().get(q % QUERIES)), List.of(), 100)));
        }
        for (Map.Entry<String, List<String>> c : classes.entrySet()) {
          stages.add(
              new Timed(
                  "before: fused",
                  c.getKey(),
                  "as above, FTS5 words",
                  q -> search(old, c.getValue().get(q % QUERIES), q, true)));
        }
      }
      // Warm every path (codes, tie-breaking, words, fusion) before any timing.
      for (int q = 0; q < WARM_UP; q++) {
        for (Timed t : stages) {
          if (!t.stage().startsWith("before") || q < WARM_UP / 10) {
            t.query().accept(q);
          }
        }
      }
      double[][] ms = new double[stages.size()][PASSES * QUERIES];
      for (int i = 0; i < PASSES * QUERIES; i++) {
        for (int s = 0; s < stages.size(); s++) {
          long start = System.nanoTime();
          stages.get(s).query().accept(i);
          ms[s][i] = (System.nanoTime() - start) / 1e6;
        }
      }
      List<Row> rows = new ArrayList<>();
      for (int s = 0; s < stages.size(); s++) {
        Timed t = stages.get(s);
        Arrays.sort(ms[s]);
        Row row =
            new Row(
                t.stage(),
                t.queries(),
                Latency.percentile(ms[s], 0.50),
                Latency.percentile(ms[s], 0.95),
                ms[s].length,
                t.note());
        rows.add(row);
        sink.accept(row);
      }
      return rows;
    } finally {
      if (catalog != null) {
        catalog.close();
      }
    }
  }

  /**
   * The in-memory ranking against FTS5's exact one (no word left out) over the first {@code
   * perClass} queries of each class: identical top-100 lists, mean overlap of the top 10; and the
   * same overlap for the FTS5 ranking as shipped before (common words left out).
   */
  List<Agreement> agreement(int perClass) {
    List<Agreement> out = new ArrayList<>();
    try (Catalog catalog = Catalog.openReadOnly(file)) {
      CaptionWords exact = new CaptionWords(catalog, Integer.MAX_VALUE);
      CaptionWords shipped = new CaptionWords(catalog);
      for (Map.Entry<String, List<String>> c : queries().entrySet()) {
        int count = c.getKey().equals("example") ? 1 : perClass;
        int identical = 0;
        double overlap = 0;
        double oldOverlap = 0;
        for (int q = 0; q < count; q++) {
          List<String> text = List.of(c.getValue().get(q));
          List<Long> truth = exact.match(text, List.of(), 100);
          List<Long> ours = words.match(text, List.of(), 100);
          identical += truth.equals(ours) ? 1 : 0;
          overlap += overlapAt10(truth, ours);
          oldOverlap += overlapAt10(truth, shipped.match(text, List.of(), 100));
        }
        out.add(new Agreement(c.getKey(), count, identical, overlap / count, oldOverlap / count));
      }
    }
    return out;
  }

  private static double overlapAt10(List<Long> truth, List<Long> other) {
    List<Long> head = truth.subList(0, Math.min(10, truth.size()));
    if (head.isEmpty()) {
      return other.isEmpty() ? 1 : 0;
    }
    Set<Long> mine = new HashSet<>(other.subList(0, Math.min(10, other.size())));
    return head.stream().filter(mine::contains).count() / (double) head.size();
  }

  private void search(SearchService service, String text, int q, boolean matchCaptions) {
    current = encoded[q % QUERIES];
    service.search(query(text, matchCaptions));
  }

  private static Query query(String text, boolean matchCaptions) {
    return Query.builder().text(text).top(20).matchCaptions(matchCaptions).build();
  }

  /** Writes the catalogue: n images, each with one caption; into a side file, then moved. */
  private void fill() throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.deleteIfExists(part);
    long start = System.nanoTime();
    log.accept(String.format("making %s (%,d captioned items, once)", file, n));
    SplittableRandom random = new SplittableRandom(seed + 3);
    try (Catalog catalog = Catalog.open(part)) {
      for (int from = 0; from < n; from += FILL_BATCH) {
        List<String> texts = new ArrayList<>(FILL_BATCH);
        for (int i = from; i < Math.min(n, from + FILL_BATCH); i++) {
          texts.add(caption(random));
        }
        catalog.write(tx -> tx.captions().addGenerated(texts));
      }
    }
    for (String side : new String[] {"-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(part + side));
    }
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
    facts.put("fill_s", seconds(start));
    log.accept(String.format("made %s in %.0f s", file, seconds(start)));
  }

  /** One generated caption. */
  String caption(SplittableRandom random) {
    StringBuilder b = new StringBuilder(random.nextInt(3) == 0 ? "the " : "a ");
    for (int j = 4 + random.nextInt(11); j > 0; j--) {
      b.append(vocabulary[draw(random)]).append(' ');
      if (j > 1 && random.nextInt(4) == 0) {
        b.append(STOP[random.nextInt(STOP.length)]).append(' ');
      }
    }
    return b.toString().strip();
  }

  private int draw(SplittableRandom random) {
    int i = Arrays.binarySearch(cumulative, random.nextDouble());
    return Math.min(i >= 0 ? i : -i - 1, VOCABULARY - 1);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  @Override
  public int bits() {
    return BITS;
  }

  @Override
  public EncodedQuery encodeText(String text) {
    return current;
  }

  @Override
  public EncodedQuery encodeImage(Path image) {
    return current;
  }

  @Override
  public EncodedQuery encodeImage(byte[] imageBytes) {
    return current;
  }

  @Override
  public HammingSearcher images() {
    return imageIndex;
  }

  @Override
  public HammingSearcher captions() {
    return captionIndex;
  }

  /** Image i has id 2i + 1, its caption 2i + 2. */
  private int position(long id) {
    return id % 2 == 1 ? (int) (id / 2) : n + (int) (id / 2 - 1);
  }

  private boolean known(long id) {
    return id >= 1 && id <= 2L * n;
  }

  @Override
  public Optional<long[]> imageCode(long itemId) {
    return known(itemId) && itemId % 2 == 1
        ? Optional.of(new long[] {codeOf[position(itemId)]})
        : Optional.empty();
  }

  @Override
  public Optional<long[]> captionCode(long captionId) {
    return known(captionId) && captionId % 2 == 0
        ? Optional.of(new long[] {codeOf[position(captionId)]})
        : Optional.empty();
  }

  @Override
  public Optional<Item> item(long itemId) {
    if (!known(itemId) || itemId % 2 == 0) {
      return Optional.empty();
    }
    Caption c = captions[(int) (itemId / 2)];
    return Optional.of(
        new Item(itemId, Path.of("images", itemId + ".png"), null, null, Set.of(), c.text()));
  }

  @Override
  public Optional<Caption> caption(long captionId) {
    return known(captionId) && captionId % 2 == 0
        ? Optional.of(captions[(int) (captionId / 2 - 1)])
        : Optional.empty();
  }

  @Override
  public List<Caption> captionsOf(long itemId) {
    return known(itemId) && itemId % 2 == 1 ? List.of(captions[(int) (itemId / 2)]) : List.of();
  }

  @Override
  public float[][] imageFeatures(long[] itemIds) {
    float[][] rows = new float[itemIds.length][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = features[(int) (itemIds[i] % FEATURE_POOL)];
    }
    return rows;
  }

  @Override
  public float[][] captionFeatures(long[] captionIds) {
    return imageFeatures(captionIds);
  }
}
