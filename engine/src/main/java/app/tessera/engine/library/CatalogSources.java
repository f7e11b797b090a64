package app.tessera.engine.library;

import app.tessera.engine.index.HammingIndex;
import app.tessera.engine.index.HammingSearcher;
import app.tessera.engine.search.CodeSource;
import app.tessera.engine.search.FeatureSource;
import app.tessera.engine.search.ItemCatalog;
import app.tessera.engine.search.SearchFilter;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.LibraryRecords;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * What the query service needs from a library, read once from the catalogue into memory: the
 * model's codes as two Hamming indexes (images, captions), item metadata for results and filters,
 * and cached features for re-ranking. Build a new one after the library changed.
 */
final class CatalogSources implements CodeSource, ItemCatalog, FeatureSource {
  private final HammingIndex images;
  private final HammingIndex captions;
  private final int words;
  private final Map<Long, Integer> imageRows = new HashMap<>();
  private final long[] imageCodes;
  private final Map<Long, Integer> captionRows = new HashMap<>();
  private final long[] captionCodes;
  private final Map<Long, Item> items = new HashMap<>();
  private final Map<Long, Caption> captionsById = new HashMap<>();
  private final Map<Long, float[]> imageFeatures;
  private final Map<Long, float[]> captionFeatures;

  CatalogSources(Catalog catalog, long modelId, String imageEncoderId, String textEncoderId) {
    ItemStore store = new ItemStore(catalog);
    List<Path> roots =
        catalog.read(LibraryRecords::roots).stream().map(r -> Path.of(r.path())).toList();
    Map<Long, List<String>> labels = store.labels();
    Map<Long, Instant> dates = fileDates(catalog);
    Map<Long, String> firstCaption = new HashMap<>();
    for (ItemStore.CaptionItem c : store.captions()) {
      captionsById.put(c.id(), new Caption(c.id(), c.imageId(), c.text()));
      firstCaption.putIfAbsent(c.imageId(), c.text());
    }
    for (ItemStore.ImageItem image : store.images()) {
      if (image.path() == null || !image.online()) {
        continue; // offline and missing items are kept in the catalogue but not shown
      }
      Path root = roots.stream().filter(image.path()::startsWith).findFirst().orElse(null);
      items.put(
          image.id(),
          new Item(
              image.id(),
              image.path(),
              root,
              dates.get(image.id()),
              Set.copyOf(labels.getOrDefault(image.id(), List.of())),
              firstCaption.get(image.id())));
    }

    CodeStore.Codes codes = new CodeStore(catalog).load(modelId);
    words = codes.wordsPerCode();
    images = new HammingIndex(codes.bits());
    captions = new HammingIndex(codes.bits());
    List<Long> imageIds = new ArrayList<>();
    List<Long> captionIds = new ArrayList<>();
    List<long[]> imageParts = new ArrayList<>();
    List<long[]> captionParts = new ArrayList<>();
    for (int i = 0; i < codes.size(); i++) {
      long id = codes.itemIds()[i];
      long[] code = Arrays.copyOfRange(codes.codes(), i * words, (i + 1) * words);
      if (items.containsKey(id)) {
        imageRows.put(id, imageIds.size());
        imageIds.add(id);
        imageParts.add(code);
      } else if (captionsById.containsKey(id) && items.containsKey(captionsById.get(id).itemId())) {
        captionRows.put(id, captionIds.size());
        captionIds.add(id);
        captionParts.add(code);
      }
    }
    imageCodes = flatten(imageParts);
    images.add(toArray(imageIds), imageCodes);
    captionCodes = flatten(captionParts);
    captions.add(toArray(captionIds), captionCodes);

    FeatureStore features = new FeatureStore(catalog);
    imageFeatures = features.all(imageEncoderId);
    captionFeatures = features.all(textEncoderId);
  }

  private static Map<Long, Instant> fileDates(Catalog catalog) {
    return catalog.read(
        c -> {
          Map<Long, Instant> dates = new HashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT item_id, max(mtime_ns) FROM files"
                          + " WHERE item_id IS NOT NULL GROUP BY item_id");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              long ns = rs.getLong(2);
              dates.put(rs.getLong(1), Instant.ofEpochSecond(0, ns));
            }
          }
          return dates;
        });
  }

  private static long[] toArray(List<Long> ids) {
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private long[] flatten(List<long[]> parts) {
    long[] out = new long[parts.size() * words];
    for (int i = 0; i < parts.size(); i++) {
      System.arraycopy(parts.get(i), 0, out, i * words, words);
    }
    return out;
  }

  int bits() {
    return images.bits();
  }

  long imageCount() {
    return images.size();
  }

  long captionCount() {
    return captions.size();
  }

  @Override
  public HammingSearcher images() {
    return images;
  }

  @Override
  public HammingSearcher captions() {
    return captions;
  }

  @Override
  public Optional<long[]> imageCode(long itemId) {
    return code(imageRows.get(itemId), imageCodes);
  }

  @Override
  public Optional<long[]> captionCode(long captionId) {
    return code(captionRows.get(captionId), captionCodes);
  }

  private Optional<long[]> code(Integer row, long[] codes) {
    return row == null
        ? Optional.empty()
        : Optional.of(Arrays.copyOfRange(codes, row * words, (row + 1) * words));
  }

  @Override
  public Optional<Item> item(long itemId) {
    return Optional.ofNullable(items.get(itemId));
  }

  @Override
  public Optional<Caption> caption(long captionId) {
    return Optional.ofNullable(captionsById.get(captionId));
  }

  /** One pass over the items into a set, instead of a lookup per scanned code. */
  @Override
  public LongPredicate itemsMatching(SearchFilter filter) {
    Predicate<Item> test = filter.compile();
    Set<Long> passing = new HashSet<>();
    for (Item item : items.values()) {
      if (test.test(item)) {
        passing.add(item.id());
      }
    }
    return passing::contains;
  }

  @Override
  public Optional<float[]> imageFeatures(long itemId) {
    return Optional.ofNullable(imageFeatures.get(itemId));
  }

  @Override
  public Optional<float[]> captionFeatures(long captionId) {
    return Optional.ofNullable(captionFeatures.get(captionId));
  }
}
