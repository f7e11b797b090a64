package app.tessera.desktop.library;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Errors;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.Cancellation;
import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.api.CodingListener;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.Folder;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Library page's state: the library's folders (with their counts and last scan), the files that
 * could not be indexed (as the catalogue records them, so they survive restarts and re-scans), and
 * one job at a time — indexing, a caption import, removing a folder, pruning — with its phase,
 * progress, rate and time left, pause and cancel. A job codes what it added before it ends, under
 * the same pause and cancel. The library is only touched on worker threads; properties change on
 * the UI thread.
 */
public final class LibraryViewModel {
  /** What a job is doing now. */
  public enum Step {
    IDLE(""),
    SCANNING("Scanning folders"),
    READING("Reading files"),
    ENCODING("Encoding new items"),
    WORKING("Working");

    private final String title;

    Step(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  /**
   * Codes what a job added with the active model, under the job's control (pause, cancel); returns
   * null when no model is loaded yet. Runs on a worker.
   */
  @FunctionalInterface
  public interface Coding {
    CodingReport code(Cancellation control, CodingListener progress) throws Exception;
  }

  /** Failures shown one by one as notifications in a run; the rest are counted at its end. */
  static final int NOTIFIED_FAILURES = 3;

  private final Supplier<Library> library;
  private final BackgroundTasks tasks;
  private final Coding coding;
  private final Notifications notifications;
  private final Consumer<String> log;
  private final IntSupplier threads;
  private final ObservableList<Folder> folders = FXCollections.observableArrayList();
  private final ObservableList<IndexReport.Failure> failures = FXCollections.observableArrayList();
  private final BooleanProperty running = new SimpleBooleanProperty();
  private final BooleanProperty paused = new SimpleBooleanProperty();
  private final ObjectProperty<Step> step = new SimpleObjectProperty<>(Step.IDLE);
  private final DoubleProperty progress = new SimpleDoubleProperty();
  private final StringProperty status = new SimpleStringProperty("");
  private final StringProperty rate = new SimpleStringProperty("");
  private final ObjectProperty<Run> lastRun = new SimpleObjectProperty<>();
  private volatile Cancellation control;
  private JobRate phaseRate = new JobRate(System.nanoTime());

  /**
   * @param library the open library (called on worker threads)
   * @param coding codes what a job added (e.g. the workspace's active model)
   * @param notifications where a file that cannot be indexed is reported while the job goes on
   * @param log where each job's summary and coding lines go (the activity log; any thread)
   * @param threads decoding threads for indexing (the Settings page's choice)
   */
  public LibraryViewModel(
      Supplier<Library> library,
      BackgroundTasks tasks,
      Coding coding,
      Notifications notifications,
      Consumer<String> log,
      IntSupplier threads) {
    this.library = library;
    this.tasks = tasks;
    this.coding = coding;
    this.notifications = notifications;
    this.log = log;
    this.threads = threads;
  }

  /**
   * What a finished job did: its indexing or caption import, the coding after it, and its whole
   * time.
   *
   * @param indexed the indexing run (of the import, when it indexed first), or null
   * @param imported the caption import, or null
   * @param coded the coding after it, or null when no model was loaded or the job was cancelled
   *     before
   * @param seconds the whole job, coding included
   */
  public record Run(
      IndexReport indexed,
      CaptionImportReport imported,
      CodingReport coded,
      double seconds,
      boolean cancelled) {
    /** One line: the counts, the whole time, what was coded or is left to code. */
    public String summary() {
      StringBuilder line = new StringBuilder();
      if (imported != null) {
        line.append(
            String.format(
                Locale.ROOT,
                "%s in %.1f s: %d of %d rows matched, %d captions and %d labels added, %d failed",
                cancelled ? "Cancelled" : "Imported",
                seconds,
                imported.matched(),
                imported.rows(),
                imported.captionsAdded(),
                imported.labelsAdded(),
                imported.failures().size()));
      } else if (indexed != null) {
        line.append(
            new IndexReport(
                    indexed.added(),
                    indexed.updated(),
                    indexed.moved(),
                    indexed.unchanged(),
                    indexed.missing(),
                    indexed.offline(),
                    indexed.failed(),
                    indexed.failures(),
                    seconds,
                    cancelled)
                .summary());
      }
      if (coded != null && coded.coded() > 0) {
        line.append("; ").append(coded.coded()).append(" items coded");
      }
      if (coded != null && coded.remaining() > 0) {
        line.append("; ")
            .append(coded.remaining())
            .append(" items not coded yet (the next run codes them)");
      }
      return line.toString();
    }
  }

  /** Reloads the folders and the failures the catalogue records. */
  public CompletableFuture<Void> refresh() {
    return tasks.run(
        () -> new Listing(library.get().folders(), library.get().failures()),
        listing -> show(listing, List.of()),
        e -> notifications.error("Could not read the library", e));
  }

  /** Indexes {@code toIndex} (new ones become folders); an empty list re-scans every folder. */
  public CompletableFuture<Void> index(List<Path> toIndex) {
    return job(
        (lib, control, listener) -> {
          IndexReport report =
              lib.index(
                  toIndex,
                  new IndexSettings(Math.max(1, threads.getAsInt()), false),
                  listener,
                  control);
          return new Done(report, null);
        });
  }

  /**
   * Imports captions, labels and attributes from a CSV file ({@code image,caption,labels,...}); the
   * images it names that the library lacks are indexed first.
   */
  public CompletableFuture<Void> importCaptions(Path csv) {
    return job(
        (lib, control, listener) -> {
          CaptionImportReport report = lib.importCaptions(csv, true, listener);
          return new Done(report.indexed(), report);
        });
  }

  /** Forgets {@code folder} and what only it held (the page has asked first). */
  public CompletableFuture<Void> remove(Folder folder) {
    return simpleJob(
        "Removing " + folder.path() + "…",
        lib -> lib.removeFolder(folder.path()),
        report ->
            notifications.success(
                "Folder removed",
                folder.path()
                    + ": "
                    + report.files()
                    + " files and "
                    + report.items()
                    + " items forgotten; nothing on disk was touched."));
  }

  /** Files the folders miss now: what {@link #prune} would forget. */
  public int missingFiles() {
    return folders.stream().mapToInt(Folder::missing).sum();
  }

  /** Forgets the files marked missing and the items only they held (the page has asked first). */
  public CompletableFuture<Void> prune() {
    return simpleJob(
        "Pruning missing files…",
        Library::prune,
        report ->
            notifications.success(
                "Missing files pruned",
                report.files() + " files and " + report.items() + " items forgotten."));
  }

  /** Pauses the running job between two batches; {@link #resume} goes on. */
  public void pause() {
    Cancellation now = control;
    if (now != null && !paused.get()) {
      now.pause();
      paused.set(true);
      phaseRate.paused(System.nanoTime());
      status.set("Paused · " + status.get());
    }
  }

  public void resume() {
    Cancellation now = control;
    if (now != null && paused.get()) {
      now.resume();
      paused.set(false);
      phaseRate.resumed(System.nanoTime());
      status.set(step.get().title() + "…");
    }
  }

  /** Asks the running job to stop soon, encoding included; what it did so far is kept. */
  public void cancel() {
    Cancellation now = control;
    if (now != null) {
      now.cancel();
      paused.set(false);
      status.set("Cancelling…");
    }
  }

  // ---- jobs

  private record Listing(List<Folder> folders, List<IndexReport.Failure> failures) {}

  private record Done(IndexReport indexed, CaptionImportReport imported) {}

  private record Finished(Run run, Listing listing, List<IndexReport.Failure> runFailures) {}

  private record Outcome<T>(T result, Listing listing) {}

  @FunctionalInterface
  private interface Work {
    Done run(Library lib, Cancellation control, IndexListener listener) throws Exception;
  }

  @FunctionalInterface
  private interface LibraryCall<T> {
    T call(Library lib) throws Exception;
  }

  private boolean start(String line) {
    if (running.get()) {
      notifications.info("A job is running", "Wait for it to finish, or cancel it first.");
      return false;
    }
    running.set(true);
    paused.set(false);
    progress.set(-1);
    rate.set("");
    status.set(line);
    return true;
  }

  private void stop() {
    running.set(false);
    paused.set(false);
    step.set(Step.IDLE);
    progress.set(0);
    rate.set("");
    control = null;
  }

  /** Indexing or importing, then coding what was added, under one control. */
  private CompletableFuture<Void> job(Work work) {
    if (!start(Step.SCANNING.title() + "…")) {
      return CompletableFuture.completedFuture(null);
    }
    enter(Step.SCANNING);
    Cancellation control = new Cancellation();
    this.control = control;
    Progress listener = new Progress();
    long started = System.nanoTime();
    return tasks.run(
        () -> {
          Library lib = library.get();
          Done done = work.run(lib, control, listener);
          CodingReport coded =
              control.isCancelled() ? null : coding.code(control, listener.coding());
          Run run =
              new Run(
                  done.indexed(),
                  done.imported(),
                  coded,
                  (System.nanoTime() - started) / 1e9,
                  control.isCancelled());
          return new Finished(run, new Listing(lib.folders(), lib.failures()), listener.failures());
        },
        finished -> {
          stop();
          lastRun.set(finished.run());
          show(finished.listing(), finished.runFailures());
          status.set(finished.run().summary());
          log.accept(finished.run().summary());
          int unsaid = listener.failureCount() - NOTIFIED_FAILURES;
          if (unsaid > 0) {
            notifications.warn(
                unsaid + " more files could not be indexed",
                "They are listed under \"Not indexed\", with why.");
          }
          if (finished.run().cancelled()) {
            notifications.info(
                "Cancelled", "What was done is kept; \"Re-scan all\" finishes the rest.");
          }
        },
        failure -> {
          stop();
          status.set("Stopped: " + Errors.message(failure));
          notifications.error("The job stopped", failure);
          refresh();
        });
  }

  /** A short job (remove a folder, prune), then coding, which drops the codes of what went. */
  private <T> CompletableFuture<Void> simpleJob(
      String line, LibraryCall<T> call, Consumer<T> onDone) {
    if (!start(line)) {
      return CompletableFuture.completedFuture(null);
    }
    enter(Step.WORKING);
    Cancellation control = new Cancellation();
    this.control = control;
    return tasks.run(
        () -> {
          Library lib = library.get();
          T result = call.call(lib);
          coding.code(control, CodingListener.NONE);
          return new Outcome<>(result, new Listing(lib.folders(), lib.failures()));
        },
        out -> {
          stop();
          show(out.listing(), List.of());
          status.set("");
          onDone.accept(out.result());
        },
        failure -> {
          stop();
          status.set("");
          notifications.error("Could not finish", failure);
          refresh();
        });
  }

  /**
   * Shows a listing; failures of this run that the catalogue does not keep (a folder refused or not
   * found) are added to the catalogue's.
   */
  private void show(Listing listing, List<IndexReport.Failure> runFailures) {
    folders.setAll(listing.folders());
    List<IndexReport.Failure> all = new ArrayList<>(listing.failures());
    Set<String> known = new HashSet<>();
    listing.failures().forEach(f -> known.add(f.path()));
    for (IndexReport.Failure f : runFailures) {
      if (known.add(f.path())) {
        all.add(f);
      }
    }
    failures.setAll(all);
  }

  private void enter(Step next) {
    if (step.get() != next) {
      step.set(next);
      phaseRate = new JobRate(System.nanoTime());
      rate.set("");
      if (!paused.get() && running.get()) {
        status.set(next.title() + "…");
      }
    }
  }

  private void show(Step in, int done, int total, String unit) {
    enter(in);
    progress.set(total <= 0 ? -1 : (double) done / total);
    String counts = String.format(Locale.ROOT, "%s · %,d of %,d", in.title(), done, total);
    status.set(paused.get() ? "Paused · " + counts : counts);
    rate.set(phaseRate.describe(done, total, unit, System.nanoTime()));
  }

  /**
   * Forwards a job's events to the UI thread, progress at most about 20 times a second, and reports
   * each file that cannot be indexed while the job goes on.
   */
  private final class Progress implements IndexListener {
    private final AtomicLong lastNanos = new AtomicLong();
    private final AtomicInteger failureCount = new AtomicInteger();
    private final List<IndexReport.Failure> failed = new CopyOnWriteArrayList<>();

    @Override
    public void phase(Phase now, int total) {
      switch (now) {
        case SCANNING -> tasks.onUi(() -> enter(Step.SCANNING));
        case PROCESSING -> tasks.onUi(() -> show(Step.READING, 0, total, "files"));
        case DONE -> {}
      }
    }

    @Override
    public void progress(int done, int total) {
      if (throttled(done, total)) {
        tasks.onUi(() -> show(Step.READING, done, total, "files"));
      }
    }

    @Override
    public void failed(String path, String reason) {
      failed.add(new IndexReport.Failure(path, reason));
      if (failureCount.incrementAndGet() <= NOTIFIED_FAILURES) {
        notifications.warn("Could not index " + Path.of(path).getFileName(), reason);
      }
    }

    int failureCount() {
      return failureCount.get();
    }

    List<IndexReport.Failure> failures() {
      return List.copyOf(failed);
    }

    CodingListener coding() {
      return new CodingListener() {
        @Override
        public void message(String line) {
          log.accept(line);
        }

        @Override
        public void progress(int done, int total) {
          if (throttled(done, total)) {
            tasks.onUi(() -> show(Step.ENCODING, done, total, "items"));
          }
        }
      };
    }

    /** Whether an event is worth showing: the last one, or 50 ms after the previous. */
    private boolean throttled(int done, int total) {
      long now = System.nanoTime();
      long last = lastNanos.get();
      if (done < total && now - last < 50_000_000L) {
        return false;
      }
      return lastNanos.compareAndSet(last, now) || done >= total;
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

  public BooleanProperty pausedProperty() {
    return paused;
  }

  public ObjectProperty<Step> stepProperty() {
    return step;
  }

  /** 0 to 1; -1 while the amount is not known yet. */
  public DoubleProperty progressProperty() {
    return progress;
  }

  /** The phase and its counts while a job runs; the last job's summary after it. */
  public StringProperty statusProperty() {
    return status;
  }

  /** The current phase's rate and time left ("35 files/s · about 9 s left"). */
  public StringProperty rateProperty() {
    return rate;
  }

  /** What the last indexing or import job did. */
  public ObjectProperty<Run> lastRunProperty() {
    return lastRun;
  }
}
