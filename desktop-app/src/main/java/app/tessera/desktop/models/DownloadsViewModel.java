package app.tessera.desktop.models;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.Cancellation;
import app.tessera.engine.api.ModelPacks;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Optional pretrained models (CLIP): what each is, its size and pins, and a download only when the
 * user asks, with the bytes as they arrive, each file checked by SHA-256, and cancel (what arrived
 * is kept and the next download resumes).
 */
public final class DownloadsViewModel {
  private final ModelPacks packs;
  private final BackgroundTasks tasks;
  private final Notifications notifications;
  private final Consumer<String> log;
  private final ObservableList<ModelPacks.Pack> list = FXCollections.observableArrayList();
  private final BooleanProperty running = new SimpleBooleanProperty();
  private final DoubleProperty progress = new SimpleDoubleProperty();
  private final StringProperty status = new SimpleStringProperty("");
  private volatile Cancellation control;

  public DownloadsViewModel(
      ModelPacks packs, BackgroundTasks tasks, Notifications notifications, Consumer<String> log) {
    this.packs = packs;
    this.tasks = tasks;
    this.notifications = notifications;
    this.log = log;
  }

  public CompletableFuture<Void> refresh() {
    return tasks.run(
        packs::list, list::setAll, e -> notifications.error("Could not list the downloads", e));
  }

  /** Downloads {@code pack} (the page has shown its size, licence and pins and asked first). */
  public CompletableFuture<Void> download(ModelPacks.Pack pack) {
    if (running.get()) {
      return CompletableFuture.completedFuture(null);
    }
    Cancellation control = new Cancellation();
    this.control = control;
    running.set(true);
    progress.set(-1);
    status.set("Connecting…");
    long total = pack.bytes();
    Map<String, Long> arrived = new ConcurrentHashMap<>(); // bytes so far, by file
    AtomicLong lastUpdate = new AtomicLong();
    long started = System.nanoTime();
    return tasks.run(
        () ->
            packs.download(
                pack.name(),
                line -> {
                  log.accept(line);
                  if (line.contains("verified")) {
                    tasks.onUi(() -> status.set(line.strip()));
                  }
                },
                (file, done, size) -> {
                  arrived.put(file, done);
                  long now = System.nanoTime();
                  if (done < size && now - lastUpdate.get() < 100_000_000L) {
                    return;
                  }
                  lastUpdate.set(now);
                  long all = arrived.values().stream().mapToLong(Long::longValue).sum();
                  double seconds = (now - started) / 1e9;
                  tasks.onUi(
                      () -> {
                        progress.set(total > 0 ? Math.min(1, (double) all / total) : -1);
                        status.set(
                            String.format(
                                Locale.ROOT,
                                "%s · %s of %s · %s/s",
                                file,
                                megabytes(all),
                                megabytes(total),
                                megabytes((long) (all / Math.max(seconds, 1e-3)))));
                      });
                },
                control),
        dir -> {
          stop();
          status.set(pack.name() + " is installed in " + dir + "; every file matched its SHA-256.");
          notifications.success(pack.name() + " installed", "Every file matched its SHA-256.");
          refresh();
        },
        failure -> {
          stop();
          if (failure instanceof CancellationException) {
            status.set("Cancelled; what arrived is kept and the next download resumes there.");
          } else {
            status.set("Not installed.");
            notifications.error("Could not download " + pack.name(), failure);
          }
          refresh();
        });
  }

  public void cancel() {
    Cancellation now = control;
    if (now != null) {
      now.cancel();
    }
  }

  private void stop() {
    running.set(false);
    progress.set(0);
    control = null;
  }

  /** {@code 608 MB}, {@code 2.1 MB}. */
  public static String megabytes(long bytes) {
    double mb = bytes / (1024.0 * 1024.0);
    return mb >= 10
        ? String.format(Locale.ROOT, "%,.0f MB", mb)
        : String.format(Locale.ROOT, "%.1f MB", mb);
  }

  public ObservableList<ModelPacks.Pack> packs() {
    return list;
  }

  public BooleanProperty runningProperty() {
    return running;
  }

  public DoubleProperty progressProperty() {
    return progress;
  }

  public StringProperty statusProperty() {
    return status;
  }
}
