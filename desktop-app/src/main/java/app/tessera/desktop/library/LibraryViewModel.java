package app.tessera.desktop.library;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.ingest.Indexer;
import app.tessera.engine.ingest.IngestOptions;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.Root;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The library page's state: its root folders, and one indexing job at a time with progress,
 * cancellation and the failures it listed. The catalogue is only touched on worker threads.
 */
public final class LibraryViewModel {
  /** A root folder as the page lists it. */
  public record RootRow(String path, String state, int files) {}

  private final Supplier<Catalog> catalog;
  private final BackgroundTasks tasks;
  private final Consumer<IndexReport> afterIndexing;
  private final ObservableList<RootRow> roots = FXCollections.observableArrayList();
  private final ObservableList<IndexReport.Failure> failures = FXCollections.observableArrayList();
  private final BooleanProperty running = new SimpleBooleanProperty();
  private final DoubleProperty progress = new SimpleDoubleProperty();
  private final StringProperty status = new SimpleStringProperty("");
  private volatile Indexer indexer;

  /**
   * @param catalog the open library (called on worker threads)
   * @param afterIndexing called on a worker thread after each finished run (e.g. to encode new
   *     items)
   */
  public LibraryViewModel(
      Supplier<Catalog> catalog, BackgroundTasks tasks, Consumer<IndexReport> afterIndexing) {
    this.catalog = catalog;
    this.tasks = tasks;
    this.afterIndexing = afterIndexing;
  }

  /** Reloads the list of roots. */
  public CompletableFuture<Void> refresh() {
    return tasks.run(this::loadRoots, roots::setAll, this::showError);
  }

  /** Indexes {@code folders} (new roots are registered); an empty list re-scans every root. */
  public CompletableFuture<Void> index(List<Path> folders) {
    if (running.get()) {
      status.set("Indexing is already running.");
      return CompletableFuture.completedFuture(null);
    }
    running.set(true);
    progress.set(-1);
    failures.clear();
    status.set("Scanning…");
    return tasks.run(
        () -> {
          Indexer job = new Indexer(catalog.get(), IngestOptions.defaults());
          indexer = job;
          IndexReport report = job.index(folders, new FxProgress());
          afterIndexing.accept(report);
          return new Finished(report, loadRoots());
        },
        finished -> {
          running.set(false);
          indexer = null;
          progress.set(1);
          roots.setAll(finished.roots());
          failures.setAll(finished.report().failures());
          status.set(summary(finished.report()));
        },
        failure -> {
          running.set(false);
          indexer = null;
          progress.set(0);
          showError(failure);
        });
  }

  /** Asks the running job to stop; what it did so far is kept. */
  public void cancel() {
    Indexer job = indexer;
    if (job != null) {
      job.cancel();
      status.set("Cancelling…");
    }
  }

  public static String summary(IndexReport r) {
    return String.format(
        Locale.ROOT,
        "%s in %.1f s: %d added, %d updated, %d moved, %d unchanged, %d missing, %d offline, %d"
            + " failed",
        r.cancelled() ? "Cancelled" : "Indexed",
        r.seconds(),
        r.added(),
        r.updated(),
        r.moved(),
        r.unchanged(),
        r.missing(),
        r.offline(),
        r.failed());
  }

  private List<RootRow> loadRoots() {
    return catalog
        .get()
        .read(
            tx -> {
              List<RootRow> rows = new ArrayList<>();
              Map<Long, Integer> held = tx.roots().heldFiles();
              for (Root root : tx.roots().list()) {
                rows.add(
                    new RootRow(
                        root.path().toString(),
                        root.state().name().toLowerCase(Locale.ROOT),
                        held.getOrDefault(root.id(), 0)));
              }
              return rows;
            });
  }

  private void showError(Throwable failure) {
    status.set(failure.getMessage() == null ? failure.toString() : failure.getMessage());
  }

  private record Finished(IndexReport report, List<RootRow> roots) {}

  /** Forwards progress to the FX thread, at most about 20 times a second. */
  private final class FxProgress implements IndexListener {
    private final AtomicLong lastNanos = new AtomicLong();
    private volatile String phase = "Scanning";

    @Override
    public void phase(IndexListener.Phase now, int total) {
      phase = now == IndexListener.Phase.PROCESSING ? "Processing" : "Scanning";
      Platform.runLater(() -> status.set(phase + "…"));
    }

    @Override
    public void progress(int done, int total) {
      long now = System.nanoTime();
      long last = lastNanos.get();
      if (done < total && now - last < 50_000_000L || !lastNanos.compareAndSet(last, now)) {
        return;
      }
      Platform.runLater(
          () -> {
            progress.set(total == 0 ? -1 : (double) done / total);
            status.set(String.format(Locale.ROOT, "%s %d of %d files…", phase, done, total));
          });
    }
  }

  public ObservableList<RootRow> roots() {
    return roots;
  }

  public ObservableList<IndexReport.Failure> failures() {
    return failures;
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
