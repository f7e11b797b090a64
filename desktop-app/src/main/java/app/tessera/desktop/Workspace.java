package app.tessera.desktop;

import app.tessera.desktop.search.LibrarySearchBackend;
import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.TesseraException;
import app.tessera.engine.api.CodingListener;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.ModelInfo;
import app.tessera.engine.api.Search;
import app.tessera.engine.api.ShippedModels;
import app.tessera.engine.api.TrainRequest;
import app.tessera.engine.api.TrainingProgress;
import app.tessera.engine.api.TrainingReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the window works with: the library, the active model bundle and the live search over them.
 * On a fresh machine the library is empty, so the shipped demo collection is indexed into it, and
 * the shipped default model makes it searchable with no download. All methods run on workers.
 */
public final class Workspace implements AutoCloseable {
  private final LibrarySession library;
  private final BackgroundTasks tasks;
  private final LibrarySearchBackend search = new LibrarySearchBackend();
  private final List<Consumer<Summary>> listeners = new CopyOnWriteArrayList<>();
  private volatile Cancellation coding = new Cancellation();
  private volatile ModelBundle bundle;
  private volatile Search live;
  private volatile boolean demo;
  private volatile Device device = Device.AUTO;

  public Workspace(LibrarySession library, BackgroundTasks tasks) {
    this.library = library;
    this.tasks = tasks;
  }

  /**
   * What the status bar shows of the workspace.
   *
   * @param images images that can be found now (online, coded by the model)
   * @param uncoded images the model has not coded yet
   */
  public record Summary(
      Path file, boolean demo, long images, int uncoded, String model, int bits, String method) {}

  /**
   * Calls {@code listener} (on a worker thread) after every change of what {@link #summary} says:
   * the model was switched, or new items were coded (after indexing, importing, a model switch).
   */
  public void onChange(Consumer<Summary> listener) {
    listeners.add(listener);
  }

  /** What can be searched now, with which model; null before a model is loaded. */
  public Summary summary() {
    Search now = live;
    ModelBundle model = bundle;
    if (now == null || model == null) {
      return null;
    }
    return new Summary(
        library.file(),
        demo,
        now.imageCount(),
        now.uncodedImages(),
        now.modelName(),
        now.bits(),
        model.manifest().method());
  }

  private void changed() {
    Summary now = summary();
    if (now != null) {
      listeners.forEach(listener -> listener.accept(now));
    }
  }

  public LibrarySession library() {
    return library;
  }

  public LibrarySearchBackend search() {
    return search;
  }

  /**
   * Opens everything; fills an empty library with the demo collection; codes what the active model
   * has not coded yet. Returns a status line.
   */
  public String open(Consumer<String> progress) throws IOException {
    Library lib = library.library();
    if (lib.isEmpty() && library.demoWhenEmpty()) {
      progress.accept("Adding the demo collection…");
      Path collection = ShippedModels.demoCollection();
      lib.importCaptions(collection.resolve("manifest.csv"), true, IndexListener.NONE);
    }
    // The demo library stays one at the next start (it holds the demo collection).
    demo = lib.folders().stream().anyMatch(f -> AppDirs.isDemoCollection(f.path()));
    progress.accept("Loading the model…");
    // The active model, else the shipped default (not made active: a newer Tessera's default
    // then takes its place).
    return use(lib.defaultBundleDir(), progress, demo ? "Demo library" : "Library");
  }

  /**
   * Switches to the library's model {@code name} as {@link Library#use} does: codes what it is
   * missing under {@code control} (pause, cancel: a cancelled switch resumes where it stopped next
   * time) while searches and the status bar stay on the current model, whose codes are complete.
   * Only once every item has its code does the model become the active one and searches use it.
   * Runs on a worker; waits for a coding job in progress (the current model's codes stay complete).
   *
   * @return what coding did; nothing changed when something {@linkplain CodingReport#remaining()
   *     remains} (cancelled)
   */
  public CodingReport switchModel(String name, Cancellation control, CodingListener progress)
      throws IOException {
    Path dir;
    CodingReport report;
    synchronized (this) {
      coding = control; // a library switch or closing the window cancels the re-coding
      try {
        report = library.library().use(name, device, control, progress);
      } finally {
        coding = new Cancellation();
      }
      Optional<ModelInfo> active = library.library().activeModel();
      if (report.remaining() > 0
          || active.isEmpty()
          || !active.get().name().equals(name)
          || active.get().bundleDir() == null) {
        return report; // still the current model
      }
      dir = active.get().bundleDir();
    }
    use(dir, progress::message, "Library");
    return report;
  }

  /**
   * Searches with the bundle in {@code dir} from now on (the library's active model, or the shipped
   * default), coding what it has not coded yet; returns a status line.
   */
  private String use(Path dir, Consumer<String> progress, String what) throws IOException {
    coding.cancel(); // a job coding with the previous model stops after its current batch
    synchronized (this) { // ... and is waited for: it holds this lock
      Library lib = library.library();
      ModelBundle next = ModelBundle.open(dir, device);
      Search nextSearch;
      try {
        nextSearch = lib.search(next);
      } catch (RuntimeException e) {
        next.close();
        throw e;
      }
      ModelBundle previous = bundle;
      Search previousSearch = live;
      bundle = next;
      live = nextSearch;
      search.use(lib, nextSearch);
      if (previous != null) {
        lib.release(previousSearch);
        tasks.afterSearches(previous::close); // queries in flight may still use it
      }
    }
    changed(); // the status bar names the new model at once, before coding ends
    try {
      code(progress);
    } catch (TesseraException e) {
      if (e.kind() != TesseraException.Kind.BUSY && e.kind() != TesseraException.Kind.READ_ONLY) {
        throw e;
      }
      // Another Tessera is indexing it, or it cannot be written: search what is coded, say why
      // the rest is not.
      progress.accept(e.getMessage());
    }
    return what
        + " "
        + library.file()
        + " · "
        + live.imageCount()
        + " images · model "
        + live.modelName()
        + " ("
        + live.bits()
        + " bits)";
  }

  /**
   * Codes what the active model has not coded yet (after indexing: what is new); searches see each
   * batch as soon as it is stored. Returns null when no model is loaded yet.
   */
  public CodingReport code(Consumer<String> progress) {
    return code(new Cancellation(), CodingListener.lines(progress));
  }

  /**
   * As {@link #code(Consumer)}, under a job's control: {@code control} pauses or cancels the coding
   * (a cancelled run resumes where it stopped next time), as does a model switch.
   */
  public synchronized CodingReport code(Cancellation control, CodingListener progress) {
    if (bundle == null) {
      return null;
    }
    coding = control;
    CodingReport report = library.library().code(bundle, control, progress);
    changed();
    return report;
  }

  /** Where networks run for the models loaded from now on (the Settings page's choice). */
  public void setDevice(Device device) {
    this.device = device;
  }

  public Device device() {
    return device;
  }

  /** Loads the active model again (e.g. on the device chosen since); returns a status line. */
  public String reload(Consumer<String> progress) throws IOException {
    ModelBundle now = bundle;
    Path dir = now != null ? now.dir() : library.library().defaultBundleDir();
    return use(dir, progress, "Library");
  }

  /**
   * Works on the library in {@code file} from now on (created if new): the current library and
   * model are let go once the queries in flight are done, and the new library's model is loaded.
   * Returns a status line.
   */
  public String switchTo(Path file, Consumer<String> progress) throws IOException {
    coding.cancel();
    synchronized (this) {
      Library previous =
          library.switchTo(file, file.toAbsolutePath().equals(AppDirs.defaultLibrary()));
      ModelBundle previousBundle = bundle;
      Search previousSearch = live;
      bundle = null;
      live = null;
      demo = false;
      if (previous != null) {
        if (previousSearch != null) {
          previous.release(previousSearch);
        }
        tasks.afterSearches(
            () -> {
              if (previousBundle != null) {
                previousBundle.close();
              }
              previous.close();
            });
      }
    }
    return open(progress);
  }

  /**
   * Trains a model on the library's items with the active model's encoders ({@link Library#train}),
   * saves it as a bundle in the models folder, and searches with it once every item is coded; a
   * model that does not beat chance is registered but not used. Holds the workspace meanwhile, so
   * indexing's coding and model switches wait.
   */
  public synchronized TrainingReport train(
      TrainRequest request, String name, Cancellation control, TrainingProgress progress)
      throws IOException {
    if (bundle == null) {
      throw new IllegalStateException("no model is loaded yet to train from");
    }
    Path bundleDir = AppDirs.modelsDir().resolve(name);
    if (Files.exists(bundleDir)) {
      throw new IllegalArgumentException(
          "a model called " + name + " exists already (" + bundleDir + "): choose another name");
    }
    coding = control;
    TrainingReport report =
        library.library().train(bundle.encoders(), request, name, bundleDir, control, progress);
    coding = new Cancellation(); // the run is over: a later switch must not cancel its control
    if (report.activated()) { // else it did not beat chance, or its coding was cancelled
      use(bundleDir, progress::message, "Library");
    }
    return report;
  }

  @Override
  public void close() {
    coding.cancel();
    synchronized (this) {
      if (bundle != null) {
        bundle.close();
        bundle = null;
      }
      library.close();
    }
  }
}
