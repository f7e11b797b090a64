package app.tessera.engine.api;

import app.tessera.engine.search.ItemCatalog;
import app.tessera.engine.search.WordIndex;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.Root;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What results show and filters test, read from the catalogue in one go: every online image (with
 * its path, root, date, labels and first caption), the ids of the others (offline or missing: kept
 * in the catalogue, not shown), and every caption, also by image and by its words.
 */
record Metadata(
    Map<Long, ItemCatalog.Item> online,
    Set<Long> notOnline,
    Map<Long, ItemCatalog.Caption> captions,
    Map<Long, List<ItemCatalog.Caption>> captionsByImage,
    WordIndex words) {

  static Metadata load(Catalog catalog) {
    return load(catalog, null);
  }

  /**
   * Reads the metadata again; the words' index is {@code previous}'s when the captions did not
   * change (building it takes about 5 s a million captions).
   */
  static Metadata load(Catalog catalog, Metadata previous) {
    ItemStore store = new ItemStore(catalog);
    List<Path> roots = catalog.read(tx -> tx.roots().list()).stream().map(Root::path).toList();
    Map<Long, List<String>> labels = store.labels();
    Map<Long, Instant> dates = store.dates();
    Map<Long, ItemCatalog.Caption> captions = new HashMap<>();
    Map<Long, List<ItemCatalog.Caption>> byImage = new HashMap<>();
    for (ItemStore.CaptionItem c : store.captions()) {
      ItemCatalog.Caption caption = new ItemCatalog.Caption(c.id(), c.imageId(), c.text());
      captions.put(c.id(), caption);
      byImage.computeIfAbsent(c.imageId(), id -> new ArrayList<>()).add(caption);
    }
    Map<Long, ItemCatalog.Item> online = new HashMap<>();
    Set<Long> notOnline = new HashSet<>();
    for (ItemStore.ImageItem image : store.images()) {
      if (image.path() == null || !image.online()) {
        notOnline.add(image.id());
        continue;
      }
      Path root = roots.stream().filter(image.path()::startsWith).findFirst().orElse(null);
      online.put(
          image.id(),
          new ItemCatalog.Item(
              image.id(),
              image.path(),
              root,
              dates.get(image.id()),
              Set.copyOf(labels.getOrDefault(image.id(), List.of())),
              byImage.getOrDefault(image.id(), List.of()).stream()
                  .findFirst()
                  .map(ItemCatalog.Caption::text)
                  .orElse(null)));
    }
    WordIndex words =
        previous != null && previous.captions().equals(captions)
            ? previous.words()
            : WordIndex.build(captions.values());
    return new Metadata(online, notOnline, captions, byImage, words);
  }

  /** Whether {@code id} is an item this metadata knows (an image or a caption). */
  boolean knows(long id) {
    return online.containsKey(id) || notOnline.contains(id) || captions.containsKey(id);
  }

  boolean isImage(long id) {
    return online.containsKey(id) || notOnline.contains(id);
  }

  /** Whether {@code id} can be a result: an online image, or a caption of one. */
  boolean searchable(long id) {
    if (online.containsKey(id)) {
      return true;
    }
    ItemCatalog.Caption caption = captions.get(id);
    return caption != null && online.containsKey(caption.itemId());
  }
}
