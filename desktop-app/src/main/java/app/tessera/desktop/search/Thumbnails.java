package app.tessera.desktop.search;

import app.tessera.desktop.BackgroundTasks;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.image.Image;

/**
 * Thumbnails for the cells on screen, loaded lazily: the cells shown in one layout pass ask, and
 * their ids go to the engine in one call ({@link SearchBackend#thumbnails}) in the search lane,
 * decoded there, so neither the FX thread nor a 100k-result list ever holds more than the visible
 * pages. The most recent {@value #KEEP} images are kept. FX thread only.
 */
public final class Thumbnails {
  static final int KEEP = 2000;
  static final double SIZE = 256;

  private final Supplier<SearchBackend> backend;
  private final BackgroundTasks tasks;
  private final Map<Long, Image> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Image> eldest) {
          return size() > KEEP;
        }
      };
  private final Map<Long, List<Consumer<Image>>> waiting = new HashMap<>();
  private final Set<Long> pending = new LinkedHashSet<>();
  private boolean scheduled;

  public Thumbnails(Supplier<SearchBackend> backend, BackgroundTasks tasks) {
    this.backend = backend;
    this.tasks = tasks;
  }

  /** The thumbnail if loaded, else null and {@code then} gets it when it arrives. */
  public Image get(long itemId, Consumer<Image> then) {
    Image image = cache.get(itemId);
    if (image != null) {
      return image;
    }
    waiting.computeIfAbsent(itemId, id -> new ArrayList<>()).add(then);
    pending.add(itemId);
    if (!scheduled) {
      scheduled = true;
      tasks.onUi(this::loadPending); // after this layout pass: one call for every visible cell
    }
    return null;
  }

  /** Forgets every image (e.g. after re-indexing changed thumbnails). */
  public void clear() {
    cache.clear();
  }

  private void loadPending() {
    scheduled = false;
    if (pending.isEmpty()) {
      return;
    }
    long[] ids = pending.stream().mapToLong(Long::longValue).toArray();
    pending.clear();
    SearchBackend engine = backend.get();
    tasks.search(
        () -> {
          Map<Long, Image> decoded = new HashMap<>();
          for (Map.Entry<Long, byte[]> e : engine.thumbnails(ids).entrySet()) {
            decoded.put(
                e.getKey(),
                new Image(new ByteArrayInputStream(e.getValue()), SIZE, SIZE, true, true));
          }
          return decoded;
        },
        decoded -> {
          for (long id : ids) {
            Image image = decoded.get(id);
            if (image != null) {
              cache.put(id, image);
            }
            List<Consumer<Image>> callbacks = waiting.remove(id);
            if (callbacks != null && image != null) {
              callbacks.forEach(c -> c.accept(image));
            }
          }
        },
        failure -> {
          for (long id : ids) {
            waiting.remove(id);
          }
        });
  }
}
