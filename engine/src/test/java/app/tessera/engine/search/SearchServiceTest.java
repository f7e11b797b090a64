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
    public Optional<Item> item(long itemId) {
      return Optional.ofNullable(items.get(itemId));
    }

    @Override
    public Optional<Caption> caption(long captionId) {
      return Optional.ofNullable(captionRows.get(captionId));
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
      return new SearchService(this, this, this, this);
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
        .isEqualTo(new SearchHit(1, 10, Path.of("/photos/a/dog.jpg"), "a dog on grass", 0, 1.0));
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
                .search(Query.builder().text("q").target(target).filter(filter).top(15).build());
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

    SearchResults hamming = w.service().search(Query.builder().text("q").top(4).build());
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
