package app.tessera.engine.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.TesseraException;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.HammingIndex;
import app.tessera.engine.index.HammingSearcher;
import app.tessera.engine.index.Neighbors;
import app.tessera.engine.search.ItemCatalog.Item;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class SearchServiceTest {
  private static final int BITS = 32;
  private static final long SEED = 4242L;

  /** In-memory stand-ins for the catalogue, the codes, the features and the encoders. */
  static final class World implements QueryEncoder, CodeSource, ItemCatalog, FeatureSource {
    final HammingIndex images = new HammingIndex(BITS);
    final HammingIndex captions = new HammingIndex(BITS);
    final Map<Long, Item> items = new HashMap<>();
    final Map<Long, Caption> captionRows = new HashMap<>();
    final Map<Long, long[]> imageCodes = new HashMap<>();
    final Map<Long, Long> captionCodes = new HashMap<>();
    final Map<Long, float[]> imageFeatures = new HashMap<>();
    final Map<Long, float[]> captionFeatures = new HashMap<>();
    final Map<String, EncodedQuery> texts = new HashMap<>();
    final Map<Path, EncodedQuery> imageFiles = new HashMap<>();
    final Map<ByteBuffer, EncodedQuery> imageBytes = new HashMap<>();
    long[] lastQueryCode;

    void addItem(Item item, long code, float[] features) {
      items.put(item.id(), item);
      imageCodes.put(item.id(), new long[] {code});
      images.add(new long[] {item.id()}, new long[] {code});
      if (features != null) {
        imageFeatures.put(item.id(), features);
      }
    }

    void addCaption(long id, long itemId, String text, long code) {
      captionRows.put(id, new Caption(id, itemId, text));
      captionCodes.put(id, code);
      captions.add(new long[] {id}, new long[] {code});
    }

    @Override
    public int bits() {
      return BITS;
    }

    @Override
    public EncodedQuery encodeText(String text) {
      EncodedQuery e = texts.get(text);
      if (e == null) {
        throw new IllegalArgumentException("fake encoder does not know '" + text + "'");
      }
      return e;
    }

    @Override
    public EncodedQuery encodeImage(Path file) throws IOException {
      EncodedQuery e = imageFiles.get(file);
      if (e == null) {
        throw new IOException("cannot decode " + file);
      }
      return e;
    }

    @Override
    public EncodedQuery encodeImage(byte[] bytes) throws IOException {
      EncodedQuery e = imageBytes.get(ByteBuffer.wrap(bytes));
      if (e == null) {
        throw new IOException("not an image");
      }
      return e;
    }

    @Override
    public HammingSearcher images() {
      return recording(images);
    }

    @Override
    public HammingSearcher captions() {
      return recording(captions);
    }

    private HammingSearcher recording(HammingIndex index) {
      return new HammingSearcher() {
        @Override
        public int bits() {
          return index.bits();
        }

        @Override
        public long size() {
          return index.size();
        }

        @Override
        public Neighbors search(long[] query, int k, LongPredicate filter) {
          lastQueryCode = query.clone();
          return index.search(query, k, filter);
        }

        @Override
        public Neighbors rangeSearch(long[] query, int radius, LongPredicate filter) {
          return index.rangeSearch(query, radius, filter);
        }
      };
    }

    @Override
    public Optional<long[]> imageCode(long itemId) {
      return Optional.ofNullable(imageCodes.get(itemId));
    }

    @Override
    public Optional<long[]> captionCode(long captionId) {
      return Optional.ofNullable(captionCodes.get(captionId)).map(c -> new long[] {c});
    }

    @Override
    public Optional<Item> item(long itemId) {
      return Optional.ofNullable(items.get(itemId));
    }

    @Override
    public Optional<Caption> caption(long captionId) {
      return Optional.ofNullable(captionRows.get(captionId));
    }

    @Override
    public List<Caption> captionsOf(long itemId) {
      return captionRows.values().stream()
          .filter(c -> c.itemId() == itemId)
          .sorted(java.util.Comparator.comparingLong(Caption::id))
          .toList();
    }

    /**
     * A stand-in full-text index: captions holding any wanted word and no excluded one, most wanted
     * words first, then by id.
     */
    List<Long> matchWords(List<String> texts, List<String> excluded, int limit) {
      Set<String> wanted = words(texts);
      Set<String> unwanted = words(excluded);
      return captionRows.values().stream()
          .filter(c -> java.util.Collections.disjoint(words(List.of(c.text())), unwanted))
          .filter(c -> common(c, wanted) > 0)
          .sorted(
              java.util.Comparator.comparingLong((Caption c) -> -common(c, wanted))
                  .thenComparingLong(Caption::id))
          .limit(limit)
          .map(Caption::id)
          .toList();
    }

    private static long common(Caption c, Set<String> words) {
      return words(List.of(c.text())).stream().filter(words::contains).count();
    }

    private static Set<String> words(List<String> texts) {
      Set<String> out = new java.util.HashSet<>();
      for (String t : texts) {
        out.addAll(List.of(t.toLowerCase(java.util.Locale.ROOT).split("\\W+")));
      }
      out.remove("");
      return out;
    }

    @Override
    public float[][] imageFeatures(long[] itemIds) {
      return java.util.Arrays.stream(itemIds).mapToObj(imageFeatures::get).toArray(float[][]::new);
    }

    @Override
    public float[][] captionFeatures(long[] captionIds) {
      return java.util.Arrays.stream(captionIds)
          .mapToObj(captionFeatures::get)
          .toArray(float[][]::new);
    }

    SearchService service() {
      return new SearchService(this, this, this, this, this::matchWords);
    }
  }

  private static Item item(long id, String path, String label, String date) {
    return new Item(
        id,
        Path.of(path),
        Path.of(path).getParent().getParent(),
        date == null ? null : Instant.parse(date),
        label == null ? Set.of() : Set.of(label),
        "caption of " + id);
  }

  private static EncodedQuery codeQuery(long code) {
    return EncodedQuery.ofCode(new long[] {code}, BITS, null);
  }

  private static long code(float[] hash) {
    long[] packed = new long[1];
    BinaryCodes.packInto(hash, packed, 0);
    return packed[0];
  }

  @Test
  void textToImageRanksByHammingDistanceWithPathsCaptionsAndScores() {
    World w = new World();
    w.addItem(item(1, "/photos/a/red.jpg", null, null), 0xFFL, null);
    w.addItem(item(2, "/photos/a/reddish.jpg", null, null), 0x7FL, null);
    w.addItem(item(3, "/photos/b/blue.jpg", null, null), 0xFFFF_0000L, null);
    w.texts.put("red", codeQuery(0xFFL));

    SearchResults r = w.service().search(Query.builder().text("red").top(3).build());

    assertThat(r.hits()).extracting(SearchHit::itemId).containsExactly(1L, 2L, 3L);
    assertThat(r.hits()).extracting(SearchHit::distance).containsExactly(0, 1, 24);
    assertThat(r.hits().get(1).score()).isEqualTo(1 - 1 / 32.0);
    assertThat(r.hits().get(0).path()).isEqualTo(Path.of("/photos/a/red.jpg"));
    assertThat(r.hits().get(0).caption()).isEqualTo("caption of 1");
    assertThat(r.hits().get(0).captionId()).isEqualTo(-1);
    assertThat(r.reranked()).isFalse();
  }

  @Test
  void textAndImageToCaptionsReturnTheCaptionAndItsImage() {
    World w = new World();
    w.addItem(item(1, "/photos/a/dog.jpg", null, null), 0x0FL, null);
    w.addItem(item(2, "/photos/a/cat.jpg", null, null), 0xF0L, null);
    w.addCaption(10, 1, "a dog on grass", 0x0FL);
    w.addCaption(20, 2, "a cat on a sofa", 0xF0L);
    w.texts.put("dog", codeQuery(0x0FL));
    w.imageFiles.put(Path.of("/tmp/query-cat.png"), codeQuery(0xF0L));

    SearchResults byText =
        w.service()
            .search(Query.builder().text("dog").target(Query.Target.CAPTIONS).top(1).build());
    SearchResults byImage =
        w.service()
            .search(
                Query.builder()
                    .image(Path.of("/tmp/query-cat.png"), 1)
                    .target(Query.Target.CAPTIONS)
                    .top(1)
                    .build());

    assertThat(byText.hits().getFirst())
        .isEqualTo(
            new SearchHit(
                1,
                10,
                Path.of("/photos/a/dog.jpg"),
                "a dog on grass",
                0,
                1.0,
                Set.of(MatchReason.CAPTION_WORDS, MatchReason.CAPTION_MEANING, MatchReason.IMAGE)));
    assertThat(byImage.hits().getFirst().caption()).isEqualTo("a cat on a sofa");
    assertThat(byImage.hits().getFirst().itemId()).isEqualTo(2);
  }

  @Test
  void imageQueriesFromBytesAndFromAnIndexedItemWhichIsLeftOut() {
    World w = new World();
    w.addItem(item(1, "/p/a/one.jpg", null, null), 0b1111L, null);
    w.addItem(item(2, "/p/a/two.jpg", null, null), 0b0111L, null);
    w.addItem(item(3, "/p/a/three.jpg", null, null), 0b0011L, null);
    byte[] png = {1, 2, 3};
    w.imageBytes.put(ByteBuffer.wrap(png), codeQuery(0b0011L));

    SearchResults fromBytes = w.service().search(Query.builder().image(png, 1).top(3).build());
    SearchResults moreLikeOne = w.service().search(Query.builder().item(1, 1).top(3).build());

    assertThat(fromBytes.hits()).extracting(SearchHit::itemId).containsExactly(3L, 2L, 1L);
    assertThat(moreLikeOne.hits()).extracting(SearchHit::itemId).containsExactly(2L, 3L);
  }

  @Test
  void combinedQueryCodeIsTheSignOfTheWeightedUnitSum() {
    World w = new World();
    w.addItem(item(1, "/p/a/x.jpg", null, null), 0, null);
    SplittableRandom random = new SplittableRandom(SEED);
    float[] text = new float[BITS];
    float[] image = new float[BITS];
    for (int i = 0; i < BITS; i++) {
      text[i] = (float) random.nextGaussian();
      image[i] = (float) (random.nextGaussian() * 10); // a different scale must not matter
    }
    w.texts.put("sunset", new EncodedQuery(text, null));
    w.imageFiles.put(Path.of("/q.jpg"), new EncodedQuery(image, null));

    w.service().search(Query.builder().text("sunset", 2).image(Path.of("/q.jpg"), 1).build());

    float[] expected = new float[BITS];
    double tn = norm(text);
    double in = norm(image);
    for (int i = 0; i < BITS; i++) {
      expected[i] = (float) (2 * text[i] / tn + image[i] / in);
    }
    assertThat(w.lastQueryCode).as("seed %d", SEED).containsExactly(code(expected));
  }

  @Test
  void negativeTextPushesResultsAwayFromIt() {
    World w = new World();
    float[] beach = new float[BITS];
    float[] people = new float[BITS];
    java.util.Arrays.fill(beach, 1f);
    beach[0] = 0.1f; // "beach" barely cares about bit 0 ...
    people[0] = 1f; // ... which is what "people" is about
    long beachWithPeople = code(beach); // bit 0 set
    long emptyBeach = beachWithPeople & ~1L;
    w.addItem(item(1, "/p/a/crowded.jpg", null, null), beachWithPeople, null);
    w.addItem(item(2, "/p/a/empty.jpg", null, null), emptyBeach, null);
    w.texts.put("beach", new EncodedQuery(beach, null));
    w.texts.put("people", new EncodedQuery(people, null));

    Query plain = Query.builder().text("beach").top(2).build();
    Query without = Query.builder().text("beach -people").top(2).build();

    assertThat(without.positives()).containsExactly(new Query.Part(new Query.Text("beach"), 1));
    assertThat(without.negatives()).containsExactly(new Query.Part(new Query.Text("people"), 0.5));
    assertThat(w.service().search(plain).hits())
        .extracting(SearchHit::itemId)
        .containsExactly(1L, 2L);
    assertThat(w.service().search(without).hits())
        .extracting(SearchHit::itemId)
        .containsExactly(2L, 1L);
  }

  @Test
  void filtersGiveTheExactTopKOfTheFilteredItems() {
    World w = new World();
    SplittableRandom random = new SplittableRandom(SEED);
    String[] labels = {"dog", "cat", "beach"};
    for (long id = 0; id < 400; id++) {
      String root = id % 2 == 0 ? "/photos/2024" : "/archive/old";
      String ext = id % 5 == 0 ? ".png" : ".jpg";
      String date = "2024-0" + (1 + id % 9) + "-15T10:00:00Z";
      w.addItem(
          item(id, root + "/sub/img" + id + ext, labels[(int) (id % 3)], date),
          random.nextLong() & 0xFFFF_FFFFL,
          null);
      w.addCaption(1000 + id, id, "caption " + id, random.nextLong() & 0xFFFF_FFFFL);
    }
    long queryCode = random.nextLong() & 0xFFFF_FFFFL;
    w.texts.put("q", codeQuery(queryCode));
    List<SearchFilter> filters =
        List.of(
            new SearchFilter(Path.of("/photos"), null, null, null, null),
            new SearchFilter(null, "*.png", null, null, null),
            new SearchFilter(
                null,
                null,
                Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2024-05-01T00:00:00Z"),
                null),
            new SearchFilter(null, null, null, null, "DOG"),
            new SearchFilter(Path.of("/archive"), "**/sub/*", null, null, "cat"));
    for (SearchFilter filter : filters) {
      for (Query.Target target : Query.Target.values()) {
        SearchResults r =
            w.service()
                .search(
                    Query.builder()
                        .text("q")
                        .target(target)
                        .filter(filter)
                        .top(15)
                        .matchCaptions(false)
                        .build());
        List<Long> expected = bruteForce(w, queryCode, filter, target, 15);
        List<Long> actual =
            r.hits().stream()
                .map(h -> target == Query.Target.IMAGES ? h.itemId() : h.captionId())
                .toList();
        assertThat(actual)
            .as("%s, %s, seed %d", filter, target, SEED)
            .isEqualTo(expected)
            .isNotEmpty();
      }
    }
  }

  private static List<Long> bruteForce(
      World w, long query, SearchFilter filter, Query.Target target, int k) {
    List<long[]> ranked = new ArrayList<>(); // {distance, insertion order, id}
    long order = 0;
    for (long id = 0; id < 400; id++) {
      Item item = w.items.get(id);
      long resultId = target == Query.Target.IMAGES ? id : 1000 + id;
      long code =
          target == Query.Target.IMAGES ? w.imageCodes.get(id)[0] : w.captionCodes.get(resultId);
      if (filter.matches(item)) {
        ranked.add(new long[] {Long.bitCount(code ^ query), order, resultId});
      }
      order++;
    }
    ranked.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
    return ranked.stream().limit(k).map(r -> r[2]).toList();
  }

  @Test
  void rerankingOrdersTheHammingCandidatesByFeatureCosine() {
    World w = new World();
    w.addItem(item(1, "/p/a/1.jpg", null, null), 0b01L, new float[] {0, 1});
    w.addItem(item(2, "/p/a/2.jpg", null, null), 0b10L, new float[] {1, 0.2f});
    w.addItem(item(3, "/p/a/3.jpg", null, null), 0b11L, null); // no cached features
    w.addItem(item(4, "/p/a/4.jpg", null, null), 0b00L, new float[] {1, 0});
    w.texts.put("q", EncodedQuery.ofCode(new long[] {0b00L}, BITS, new float[] {1, 0}));

    SearchResults hamming =
        w.service().search(Query.builder().text("q").top(4).breakTies(false).build());
    SearchResults reranked =
        w.service().search(Query.builder().text("q").top(3).rerankTop(4).build());

    assertThat(hamming.hits()).extracting(SearchHit::itemId).containsExactly(4L, 1L, 2L, 3L);
    assertThat(reranked.reranked()).isTrue();
    assertThat(reranked.hits()).extracting(SearchHit::itemId).containsExactly(4L, 2L, 1L);
    assertThat(reranked.hits().get(0).score()).isEqualTo(1.0);
    assertThat(reranked.hits().get(2).score())
        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(reranked.hits().get(1).distance()).isEqualTo(1);
  }

  @Test
  void tiesAreBrokenByTheQueryOutputsThenByFeatures() {
    World w = new World();
    // Query outputs: bit 0 held weakly, bit 1 firmly (both positive: the query code is 0b11).
    float[] hash = new float[BITS];
    java.util.Arrays.fill(hash, -0.9f);
    hash[0] = 0.1f;
    hash[1] = 0.8f;
    long queryCode = code(hash);
    w.addItem(item(1, "/p/a/1.jpg", null, null), queryCode & ~0b10L, new float[] {1, 0});
    w.addItem(item(2, "/p/a/2.jpg", null, null), queryCode & ~0b01L, new float[] {0, 1});
    w.addItem(item(3, "/p/a/3.jpg", null, null), queryCode ^ (1L << 20), new float[] {1, 0});
    w.addItem(item(4, "/p/a/4.jpg", null, null), queryCode ^ (1L << 20), new float[] {1, 1});
    w.addItem(item(5, "/p/a/5.jpg", null, null), queryCode ^ 0b111L, new float[] {1, 1});
    w.texts.put("q", new EncodedQuery(hash, new float[] {1, 1}));

    SearchResults insertion =
        w.service().search(Query.builder().text("q").top(5).breakTies(false).build());
    SearchResults broken = w.service().search(Query.builder().text("q").top(5).build());

    assertThat(insertion.hits()).extracting(SearchHit::itemId).containsExactly(1L, 2L, 3L, 4L, 5L);
    // Distance 1 for items 1-4: item 2 disagrees on the weak bit 0, items 3 and 4 on a bit held
    // at 0.9, item 1 on bit 1 (0.8); 3 and 4 share a code, and 4's features are closer.
    assertThat(broken.hits()).extracting(SearchHit::itemId).containsExactly(2L, 1L, 4L, 3L, 5L);
    assertThat(broken.hits()).extracting(SearchHit::distance).containsExactly(1, 1, 1, 1, 3);
    assertThat(broken.reranked()).isFalse();
  }

  @Test
  void tieBreakingCompletesTheTieGroupBeyondTheRequestedTop() {
    World w = new World();
    for (long id = 1; id <= 30; id++) {
      // One code for all: insertion order would show items 1 and 2; features prefer item 30.
      w.addItem(item(id, "/p/a/" + id + ".jpg", null, null), 0L, new float[] {1, id});
    }
    w.addCaption(1030, 30, "thirty", 0L);
    w.addCaption(1001, 1, "one", 0L);
    w.captionFeatures.put(1030L, new float[] {0, 1});
    w.captionFeatures.put(1001L, new float[] {1, 0});
    w.texts.put("q", EncodedQuery.ofCode(new long[] {0L}, BITS, new float[] {0, 1}));

    Query.Builder codesOnly = Query.builder().text("q").matchCaptions(false);
    SearchResults images = w.service().search(codesOnly.top(2).build());
    SearchResults captions =
        w.service().search(codesOnly.target(Query.Target.CAPTIONS).top(1).build());

    assertThat(images.hits()).extracting(SearchHit::itemId).containsExactly(30L, 29L);
    assertThat(captions.hits()).extracting(SearchHit::captionId).containsExactly(1030L);
  }

  /** A code with the lowest {@code bits} bits set: at that Hamming distance from code 0. */
  private static long at(int bits) {
    return bits == 0 ? 0L : -1L >>> (64 - bits);
  }

  /**
   * 130 captioned fillers near the query (10 at distance 1, 120 at 4) push the far items out of the
   * code rankings' first {@link SearchService#FUSION_DEPTH}: item 1 (image and caption at distance
   * 2, caption with all the query's words), item 2 (no caption, distance 3), item 3 (codes at
   * distance 20, a caption with two of the words, under another folder).
   */
  private static World captionedWorld() {
    World w = new World();
    for (long id = 100; id < 230; id++) {
      long code = at(id < 110 ? 1 : 4);
      w.addItem(item(id, "/p/a/" + id + ".jpg", null, null), code, null);
      w.addCaption(1000 + id, id, "photo " + id, code);
    }
    w.addItem(item(1, "/p/a/1.jpg", null, null), at(2), null);
    w.addCaption(1001, 1, "a big red circle on white", at(2));
    w.addItem(item(2, "/p/a/2.jpg", null, null), at(3), null);
    w.addItem(item(3, "/p/b/3.jpg", null, null), at(20), null);
    w.addCaption(1003, 3, "a red circle", at(20));
    w.texts.put("big red circle", codeQuery(0L));
    return w;
  }

  @Test
  void captionWordsAndCodesAreFusedWithTheImageCodesAndEachResultSaysWhy() {
    World w = captionedWorld();

    List<SearchHit> fused =
        w.service().search(Query.builder().text("big red circle").top(100).build()).hits();

    // Item 1: 11th by its image code, 11th by its caption's code, 1st by its caption's words.
    assertThat(fused.getFirst().itemId()).isEqualTo(1);
    assertThat(fused.getFirst().reasons())
        .containsExactlyInAnyOrder(
            MatchReason.IMAGE, MatchReason.CAPTION_MEANING, MatchReason.CAPTION_WORDS);
    assertThat(fused.getFirst().distance()).isEqualTo(2);
    SearchHit uncaptioned = fused.stream().filter(h -> h.itemId() == 2).findFirst().orElseThrow();
    assertThat(uncaptioned.reasons()).containsExactly(MatchReason.IMAGE);
    SearchHit byWords = fused.stream().filter(h -> h.itemId() == 3).findFirst().orElseThrow();
    assertThat(byWords.reasons()).containsExactly(MatchReason.CAPTION_WORDS);
    assertThat(byWords.distance()).isEqualTo(20);
    // Ranked by fused score, and the caption-less item keeps its image-code place among its
    // neighbours: after every filler it trails in the image ranking and that has a caption match.
    assertThat(fused).extracting(SearchHit::score).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(fused.getFirst().score()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void theSwitchRanksByTheImageCodesAloneAsBefore() {
    World w = captionedWorld();

    List<SearchHit> codesOnly =
        w.service()
            .search(Query.builder().text("big red circle").top(100).matchCaptions(false).build())
            .hits();

    assertThat(codesOnly).extracting(SearchHit::itemId).element(10).isEqualTo(1L);
    assertThat(codesOnly).extracting(SearchHit::itemId).doesNotContain(3L);
    assertThat(codesOnly)
        .allSatisfy(h -> assertThat(h.reasons()).containsExactly(MatchReason.IMAGE));
    assertThat(codesOnly)
        .extracting(SearchHit::distance)
        .isSortedAccordingTo(Comparator.naturalOrder());
  }

  @Test
  void wordMatchesPassTheFilterAndCaptionResultsComeThroughTheirImagesToo() {
    World w = captionedWorld();
    SearchFilter underA = new SearchFilter(Path.of("/p/a"), null, null, null, null);

    List<SearchHit> filtered =
        w.service()
            .search(Query.builder().text("big red circle").top(100).filter(underA).build())
            .hits();
    List<SearchHit> captions =
        w.service()
            .search(
                Query.builder()
                    .text("big red circle")
                    .target(Query.Target.CAPTIONS)
                    .top(100)
                    .build())
            .hits();

    assertThat(filtered).extracting(SearchHit::itemId).doesNotContain(3L).contains(1L);
    assertThat(captions.getFirst().captionId()).isEqualTo(1001);
    assertThat(captions.getFirst().reasons())
        .containsExactlyInAnyOrder(
            MatchReason.IMAGE, MatchReason.CAPTION_MEANING, MatchReason.CAPTION_WORDS);
    assertThat(captions).extracting(SearchHit::captionId).contains(1003L);
  }

  @Test
  void anImageLookingForImagesRanksByImageCodesAloneSoTheSamePictureComesFirst() {
    World w = captionedWorld();
    // A picture whose own code equals item 2's: the captions' codes would favour the fillers.
    w.imageFiles.put(Path.of("/q/copy-of-2.png"), codeQuery(at(3)));

    List<SearchHit> images =
        w.service().search(Query.builder().image(Path.of("/q/copy-of-2.png"), 1).build()).hits();
    List<SearchHit> captions =
        w.service()
            .search(
                Query.builder()
                    .image(Path.of("/q/copy-of-2.png"), 1)
                    .target(Query.Target.CAPTIONS)
                    .build())
            .hits();

    assertThat(images.getFirst().itemId()).isEqualTo(2);
    assertThat(images.getFirst().distance()).isZero();
    assertThat(images).allSatisfy(h -> assertThat(h.reasons()).containsExactly(MatchReason.IMAGE));
    // Looking for captions, the image's own code finds captions through the images too.
    assertThat(captions)
        .anySatisfy(h -> assertThat(h.reasons()).contains(MatchReason.IMAGE))
        .allSatisfy(h -> assertThat(h.reasons()).doesNotContain(MatchReason.CAPTION_WORDS));
  }

  @Test
  void aLibraryWithoutCaptionsRanksAsWithoutFusion() {
    World w = new World();
    SplittableRandom random = new SplittableRandom(SEED);
    for (long id = 0; id < 200; id++) {
      w.addItem(item(id, "/p/a/" + id + ".jpg", null, null), random.nextLong() & 0xFFFFL, null);
    }
    w.texts.put("q", codeQuery(0L));

    List<SearchHit> on = w.service().search(Query.builder().text("q").top(50).build()).hits();
    List<SearchHit> off =
        w.service().search(Query.builder().text("q").top(50).matchCaptions(false).build()).hits();

    assertThat(on).isEqualTo(off);
  }

  @Test
  void badQueriesFailClearly() {
    World w = new World();
    w.addItem(item(1, "/p/a/1.jpg", null, null), 1, null);
    w.texts.put("people", codeQuery(1));
    SearchService service = w.service();

    assertThatThrownBy(() -> Query.builder().text("  "))
        .isInstanceOf(TesseraException.class)
        .hasMessage("the text to look for is empty");
    assertThatThrownBy(() -> Query.builder().text("-people").build())
        .hasMessageContaining("only says what to leave out");
    assertThatThrownBy(() -> Query.builder().text("people").top(0).build())
        .hasMessage("the number of results must be between 1 and 10000 (got 0)");
    assertThatThrownBy(() -> Query.builder().text("people").top(Query.MAX_TOP + 1).build())
        .isInstanceOf(TesseraException.class);
    assertThatThrownBy(() -> Query.builder().text("people").rerankTop(-1).build())
        .hasMessageContaining("between 0 (off) and 10000");
    // More results asked than there are items: all of them, and no more memory than they need.
    assertThat(service.search(Query.builder().text("people").top(Query.MAX_TOP).build()).hits())
        .hasSize(1);
    assertThatThrownBy(() -> service.search(Query.builder().item(99, 1).build()))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("item 99");
    assertThatThrownBy(() -> service.search(Query.builder().image(Path.of("/nope.jpg"), 1).build()))
        .isInstanceOf(TesseraException.class)
        .hasMessageContaining("/nope.jpg");
    assertThatThrownBy(() -> Query.builder().text("people", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SearchFilter(
                    null,
                    null,
                    Instant.parse("2024-02-01T00:00:00Z"),
                    Instant.parse("2024-01-01T00:00:00Z"),
                    null))
        .hasMessageContaining("empty date range");
    World mismatched = new World();
    SearchService wrongBits =
        new SearchService(
            new QueryEncoder() {
              @Override
              public int bits() {
                return 64;
              }

              @Override
              public EncodedQuery encodeText(String text) {
                return codeQuery(1);
              }

              @Override
              public EncodedQuery encodeImage(Path file) {
                return codeQuery(1);
              }

              @Override
              public EncodedQuery encodeImage(byte[] bytes) {
                return codeQuery(1);
              }
            },
            mismatched,
            mismatched,
            null);
    assertThatThrownBy(() -> wrongBits.search(Query.builder().text("x").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("64-bit");
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
