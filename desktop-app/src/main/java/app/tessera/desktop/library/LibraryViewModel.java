package app.tessera.desktop.library;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.api.Folder;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The library page's state: its folders, and one indexing job at a time with progress, cancellation
 * and the failures it listed. The library is only touched on worker threads.
 */
public final class LibraryViewModel {
  private final Supplier<Library> library;
  private final BackgroundTasks tasks;
  private final Consumer<IndexReport> afterIndexing;
  private final ObservableList<Folder> folders = FXCollections.observableArrayList();
  private final ObservableList<IndexReport.Failure> failures = FXCollections.observableArrayList();
  private final BooleanProperty running = new SimpleBooleanProperty();
  private final DoubleProperty progress = new SimpleDoubleProperty();
  private final StringProperty status = new SimpleStringProperty("");
  private volatile Cancellation job;

  /**
   * @param library the open library (called on worker threads)
   * @param afterIndexing called on a worker thread after each finished run (e.g. to code new items)
   */
  public LibraryViewModel(
      Supplier<Library> library, BackgroundTasks tasks, Consumer<IndexReport> afterIndexing) {
    this.library = library;
    this.tasks = tasks;
    this.afterIndexing = afterIndexing;
  }

  /** Reloads the list of folders. */
  public CompletableFuture<Void> refresh() {
    return tasks.run(() -> library.get().folders(), folders::setAll, this::showError);
  }

  /** Indexes {@code folders} (new ones are added); an empty list re-scans every folder. */
  public CompletableFuture<Void> index(List<Path> toIndex) {
    if (running.get()) {
      status.set("Indexing is already running.");
      return CompletableFuture.completedFuture(null);
    }
    running.set(true);
    progress.set(-1);
    failures.clear();
    status.set("Scanning…");
    Cancellation cancel = new Cancellation();
    job = cancel;
    return tasks.run(
        () -> {
          Library lib = library.get();
          IndexReport report = lib.index(toIndex, IndexSettings.defaults(), new Progress(), cancel);
          afterIndexing.accept(report);
          return new Finished(report, lib.folders());
        },
        finished -> {
          running.set(false);
          job = null;
          progress.set(1);
          folders.setAll(finished.folders());
          failures.setAll(finished.report().failures());
          status.set(finished.report().summary());
        },
        failure -> {
          running.set(false);
          job = null;
          progress.set(0);
          showError(failure);
        });
  }

  /** Asks the running job to stop; what it did so far is kept. */
  public void cancel() {
    Cancellation running = job;
    if (running != null) {
      running.cancel();
      status.set("Cancelling…");
    }
  }

  private void showError(Throwable failure) {
    status.set(failure.getMessage() == null ? failure.toString() : failure.getMessage());
  }

  private record Finished(IndexReport report, List<Folder> folders) {}

  /** Forwards progress to the UI thread, at most about 20 times a second. */
  private final class Progress implements IndexListener {
    private final AtomicLong lastNanos = new AtomicLong();
    private volatile String phase = "Scanning";

    @Override
    public void phase(Phase now, int total) {
      phase = now == Phase.PROCESSING ? "Processing" : "Scanning";
      tasks.onUi(() -> status.set(phase + "…"));
    }

    @Override
    public void progress(int done, int total) {
      long now = System.nanoTime();
      long last = lastNanos.get();
      if (done < total && now - last < 50_000_000L || !lastNanos.compareAndSet(last, now)) {
        return;
      }
      tasks.onUi(
          () -> {
            progress.set(total == 0 ? -1 : (double) done / total);
            status.set(String.format(Locale.ROOT, "%s %d of %d files…", phase, done, total));
          });
    }
  }

  public ObservableList<Folder> folders() {
    return folders;
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
