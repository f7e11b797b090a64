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
import app.tessera.engine.store.Root;
import java.nio.file.Path;
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
  private final Map<Long, Item> items = new HashMap<>();
  private final Map<Long, Caption> captionsById = new HashMap<>();
  private final Map<Long, float[]> imageFeatures;
  private final Map<Long, float[]> captionFeatures;

  CatalogSources(Catalog catalog, long modelId, String imageEncoderId, String textEncoderId) {
    ItemStore store = new ItemStore(catalog);
    List<Path> roots = catalog.read(tx -> tx.roots().list()).stream().map(Root::path).toList();
    Map<Long, List<String>> labels = store.labels();
    Map<Long, Instant> dates = store.dates();
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
        captionIds.add(id);
        captionParts.add(code);
      }
    }
    imageCodes = flatten(imageParts);
    images.add(toArray(imageIds), imageCodes);
    captions.add(toArray(captionIds), flatten(captionParts));

    FeatureStore features = new FeatureStore(catalog);
    imageFeatures = features.all(imageEncoderId);
    captionFeatures = features.all(textEncoderId);
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
    Integer row = imageRows.get(itemId);
    return row == null
        ? Optional.empty()
        : Optional.of(Arrays.copyOfRange(imageCodes, row * words, (row + 1) * words));
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
