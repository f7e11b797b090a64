package app.tessera.engine.api;

import app.tessera.engine.index.HammingIndex;
import app.tessera.engine.search.FeatureSource;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchResults;
import app.tessera.engine.search.SearchService;
import app.tessera.engine.search.WordIndex;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.FeatureStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Search over one library with one model bundle, on the codes stored for that model: images and
 * captions in two Hamming indexes, answered in the four directions; text queries also match the
 * captions' words (BM25 over an in-memory {@link WordIndex}, kept with the captions it was built
 * from). Opening and searching never write to the catalogue (a read-only library can be searched);
 * items the model has not coded yet are counted ({@link #uncodedImages()}) and left out until
 * {@link Library#code} codes them.
 *
 * <p>Live: while its library stays open, coding adds each committed batch of codes to the indexes,
 * and indexing, importing and pruning bring the items up to date, each as one atomic change
 * (searches in flight finish on the state they started with). Thread-safe.
 */
public final class Search {
  private final Catalog catalog;
  private final ModelBundle bundle;
  private final HammingIndex images;
  private final HammingIndex captions;
  private final BundleQueryEncoder encoder;
  private final FeatureSource features;
  private volatile long modelId;
  private volatile LibraryView view;
  private volatile int uncodedImages;
  private volatile int uncodedCaptions;

  private Search(Catalog catalog, ModelBundle bundle, long modelId) {
    this.catalog = catalog;
    this.bundle = bundle;
    this.modelId = modelId;
    int bits = bundle.hashModel().bits();
    this.images = new HammingIndex(bits);
    this.captions = new HammingIndex(bits);
    this.encoder = new BundleQueryEncoder(bundle);
    this.features = new StoredFeatures(new FeatureStore(catalog), bundle);
  }

  /** The search over the codes stored for {@code modelId} (-1: a model not registered yet). */
  static Search open(Catalog catalog, ModelBundle bundle, long modelId) {
    Search search = new Search(catalog, bundle, modelId);
    search.load(Metadata.load(catalog));
    return search;
  }

  public SearchResults search(Query query) {
    LibraryView current = view;
    return new SearchService(encoder, current, current, features, current.metadata().words())
        .search(query);
  }

  /** The model bundle this search encodes queries with. */
  public String modelName() {
    return bundle.manifest().name();
  }

  public int bits() {
    return bundle.hashModel().bits();
  }

  /** Images that can be found (online, with a code). */
  public long imageCount() {
    return view.images().size();
  }

  /** Captions that can be found. */
  public long captionCount() {
    return view.captions().size();
  }

  /** Images of the library the model has not coded yet (not found until they are). */
  public int uncodedImages() {
    return uncodedImages;
  }

  /** Captions of the library the model has not coded yet. */
  public int uncodedCaptions() {
    return uncodedCaptions;
  }

  boolean uses(ModelBundle other) {
    return bundle == other;
  }

  /** Adds one committed batch of codes of this search's model (registered as {@code model}). */
  synchronized void coded(long model, Coder.Batch batch) {
    modelId = model;
    Metadata known = view.metadata();
    Metadata metadata =
        Arrays.stream(batch.ids()).allMatch(known::knows)
            ? known
            : Metadata.load(catalog, known); // items indexed since the last refresh
    Codes imageCodes = new Codes();
    Codes captionCodes = new Codes();
    int words = batch.codes().length / Math.max(1, batch.ids().length);
    int codedImages = 0;
    for (int i = 0; i < batch.ids().length; i++) {
      long id = batch.ids()[i];
      boolean image = metadata.isImage(id);
      codedImages += image ? 1 : 0;
      (image ? imageCodes : captionCodes).add(id, batch.codes(), i, words, metadata.searchable(id));
    }
    replace(images, imageCodes.all(), imageCodes);
    replace(captions, captionCodes.all(), captionCodes);
    view = new LibraryView(metadata, images.snapshot(), captions.snapshot());
    uncodedImages = Math.max(0, uncodedImages - codedImages);
    uncodedCaptions = Math.max(0, uncodedCaptions - (batch.ids().length - codedImages));
  }

  /**
   * Brings the items up to date after the library changed (indexing, importing, pruning): codes of
   * items that are gone or offline leave the indexes, codes of items that came (back) online join
   * them.
   */
  synchronized void refresh() {
    Metadata before = view.metadata();
    Metadata after = Metadata.load(catalog, before);
    Set<Long> leaving = new HashSet<>();
    for (Set<Long> ids : List.of(before.online().keySet(), before.captions().keySet())) {
      for (long id : ids) {
        if (before.searchable(id) && !after.searchable(id)) {
          leaving.add(id);
        }
      }
    }
    long[] gone = leaving.stream().mapToLong(Long::longValue).toArray();
    Codes imageCodes = new Codes();
    Codes captionCodes = new Codes();
    storedCodes(after, id -> !before.searchable(id), imageCodes, captionCodes);
    replace(images, gone, imageCodes);
    replace(captions, gone, captionCodes);
    view = new LibraryView(after, images.snapshot(), captions.snapshot());
    countBacklog();
  }

  /** Fills the indexes from the stored codes (at open). */
  private void load(Metadata metadata) {
    Codes imageCodes = new Codes();
    Codes captionCodes = new Codes();
    storedCodes(metadata, id -> true, imageCodes, captionCodes);
    images.add(imageCodes.ids(), imageCodes.codes());
    captions.add(captionCodes.ids(), captionCodes.codes());
    view = new LibraryView(metadata, images.snapshot(), captions.snapshot());
    countBacklog();
  }

  /** The stored codes of this model's items that are searchable and {@code wanted}, by kind. */
  private void storedCodes(
      Metadata metadata, LongPredicate wanted, Codes imageCodes, Codes captionCodes) {
    if (modelId < 0) {
      return;
    }
    CodeStore.Codes stored = new CodeStore(catalog).load(modelId);
    for (int i = 0; i < stored.size(); i++) {
      long id = stored.itemIds()[i];
      if (metadata.searchable(id) && wanted.test(id)) {
        (metadata.isImage(id) ? imageCodes : captionCodes)
            .add(id, stored.codes(), i, stored.wordsPerCode(), true);
      }
    }
  }

  /** Removes the codes of {@code ids} and adds {@code codes}, published as one change. */
  private static void replace(HammingIndex index, long[] ids, Codes codes) {
    index.update(
        batch -> {
          batch.remove(ids);
          batch.add(codes.ids(), codes.codes());
        });
  }

  private void countBacklog() {
    Coder.Backlog backlog = Coder.backlog(catalog, modelId);
    uncodedImages = backlog.images().length;
    uncodedCaptions = backlog.captions().length;
  }

  /** Codes gathered for one index: every id seen (to replace), and the ids and codes to add. */
  private static final class Codes {
    private final List<Long> all = new ArrayList<>();
    private final List<Long> ids = new ArrayList<>();
    private long[] codes = new long[64];
    private int words;

    void add(long id, long[] from, int row, int wordsPerCode, boolean searchable) {
      all.add(id);
      if (!searchable) {
        return;
      }
      words = wordsPerCode;
      int at = ids.size() * words;
      if (at + words > codes.length) {
        codes = Arrays.copyOf(codes, Math.max(2 * codes.length, at + words));
      }
      System.arraycopy(from, row * words, codes, at, words);
      ids.add(id);
    }

    long[] all() {
      return all.stream().mapToLong(Long::longValue).toArray();
    }

    long[] ids() {
      return ids.stream().mapToLong(Long::longValue).toArray();
    }

    long[] codes() {
      return Arrays.copyOf(codes, ids.size() * words);
    }
  }

  /** Cached features read from the catalogue when a query re-ranks, for its candidates only. */
  private record StoredFeatures(FeatureStore store, ModelBundle bundle) implements FeatureSource {
    @Override
    public float[][] imageFeatures(long[] itemIds) {
      return store.get(bundle.imageEncoder().id(), itemIds);
    }

    @Override
    public float[][] captionFeatures(long[] captionIds) {
      return store.get(bundle.textEncoder().id(), captionIds);
    }
  }
}
