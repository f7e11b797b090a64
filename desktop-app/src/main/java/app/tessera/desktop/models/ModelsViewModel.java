package app.tessera.desktop.models;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.Cancellation;
import app.tessera.engine.api.CodingListener;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelInfo;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * The Models page's list: the library's models, the one searches use now (its method, bits,
 * encoders and what it was trained on), and switching to another.
 */
public final class ModelsViewModel {
  private final Supplier<Library> library;
  private final BackgroundTasks tasks;
  private final Activator activate;
  private final Supplier<String> inUse;
  private final Notifications notifications;

  /**
   * Codes what a library model is missing under a job's control (pause, cancel), then makes it the
   * one searches use; until then searches keep the current model. Runs on a worker.
   */
  @FunctionalInterface
  public interface Activator {
    CodingReport use(String model, Cancellation control, CodingListener progress) throws Exception;
  }

  private final ObservableList<ModelInfo> models = FXCollections.observableArrayList();
  private final ObjectProperty<ModelInfo> active = new SimpleObjectProperty<>();
  private final StringProperty status = new SimpleStringProperty("");
  private final BooleanProperty switching = new SimpleBooleanProperty();
  private final BooleanProperty paused = new SimpleBooleanProperty();
  private final DoubleProperty progress = new SimpleDoubleProperty();
  private volatile Cancellation control;

  /**
   * @param inUse the name of the model searches use now (null before one is loaded; any thread)
   */
  public ModelsViewModel(
      Supplier<Library> library,
      BackgroundTasks tasks,
      Activator activate,
      Supplier<String> inUse,
      Notifications notifications) {
    this.library = library;
    this.tasks = tasks;
    this.activate = activate;
    this.inUse = inUse;
    this.notifications = notifications;
  }

  public CompletableFuture<Void> refresh() {
    return tasks.run(
        () -> library.get().models(),
        list -> {
          models.setAll(list);
          String name = inUse.get();
          Optional<ModelInfo> searched =
              list.stream().filter(m -> m.name().equals(name)).findFirst();
          active.set(
              searched.orElse(list.stream().filter(ModelInfo::active).findFirst().orElse(null)));
        },
        e -> notifications.error("Could not list the models", e));
  }

  /**
   * Switches searches to {@code model} in the background: its codes are completed first (with
   * progress, pause and cancel; a cancelled switch resumes where it stopped next time), and
   * searches and the status bar keep the current model until every item has its code.
   */
  public CompletableFuture<Void> use(ModelInfo model) {
    if (model == null || model.bundleDir() == null) {
      notifications.warn(
          "This model cannot search",
          "It has no bundle folder to load (an evaluation model, or its folder was moved).");
      return CompletableFuture.completedFuture(null);
    }
    if (switching.get()) {
      notifications.warn("A model switch is running", "Cancel it first, or wait until it is done.");
      return CompletableFuture.completedFuture(null);
    }
    Cancellation control = new Cancellation();
    this.control = control;
    switching.set(true);
    paused.set(false);
    progress.set(-1);
    status.set("Coding the library with " + model.name() + "…");
    CodingListener listener =
        new CodingListener() {
          @Override
          public void message(String line) { // "coding 40 images and 80 captions with model …"
            tasks.onUi(
                () -> {
                  if (control == ModelsViewModel.this.control) {
                    status.set(
                        (paused.get() ? "Paused · " : "")
                            + capitalised(line)
                            + "; searches use the current model until it is done");
                  }
                });
          }

          @Override
          public void progress(int done, int total) {
            tasks.onUi(
                () -> {
                  if (control == ModelsViewModel.this.control) {
                    progress.set(total <= 0 ? -1 : (double) done / total);
                    status.set(
                        String.format(
                            Locale.ROOT,
                            "%sCoding with %s · %,d of %,d items; searches use the current model"
                                + " until it is done",
                            paused.get() ? "Paused · " : "",
                            model.name(),
                            done,
                            total));
                  }
                });
          }
        };
    return tasks.run(
        () -> activate.use(model.name(), control, listener),
        report -> {
          stopSwitching();
          if (report.remaining() == 0 && !control.isCancelled()) {
            status.set("");
            notifications.success(
                "Searches use " + model.name(),
                String.format(Locale.ROOT, "%,d items coded with it", report.coded()));
          } else {
            status.set(
                String.format(
                    Locale.ROOT,
                    "Switch to %s stopped with %,d items left to code; searches still use %s."
                        + " Choose it again to resume.",
                    model.name(),
                    report.remaining(),
                    Optional.ofNullable(inUse.get()).orElse("the current model")));
          }
          refresh();
        },
        e -> {
          stopSwitching();
          status.set("");
          notifications.error("Could not switch to " + model.name(), e);
        });
  }

  /** Holds the running switch between coding batches. */
  public void pause() {
    Cancellation now = control;
    if (now != null && !paused.get()) {
      now.pause();
      paused.set(true);
    }
  }

  public void resume() {
    Cancellation now = control;
    if (now != null && paused.get()) {
      now.resume();
      paused.set(false);
    }
  }

  /** Stops the running switch after its current batch; the current model stays. */
  public void cancel() {
    Cancellation now = control;
    if (now != null) {
      now.cancel();
      paused.set(false);
      status.set("Cancelling the switch…");
    }
  }

  private void stopSwitching() {
    switching.set(false);
    paused.set(false);
    progress.set(0);
    control = null;
  }

  /** A model's facts in a few lines, as its card. */
  public static String card(ModelInfo model) {
    if (model == null) {
      return "";
    }
    return model.method()
        + " hashing, "
        + model.bits()
        + "-bit codes\n"
        + "Image encoder: "
        + model.imageEncoder()
        + " · text encoder: "
        + model.textEncoder()
        + "\n"
        + (model.data() == null || model.data().isBlank() ? "" : capitalised(model.data()) + "\n")
        + (model.bundleDir() == null ? "No bundle folder" : "Bundle: " + model.bundleDir());
  }

  private static String capitalised(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  public ObservableList<ModelInfo> models() {
    return models;
  }

  /** The model searches use now. */
  public ObjectProperty<ModelInfo> activeProperty() {
    return active;
  }

  public StringProperty statusProperty() {
    return status;
  }

  public BooleanProperty switchingProperty() {
    return switching;
  }

  public BooleanProperty pausedProperty() {
    return paused;
  }

  /** The running switch's coding, 0…1, or -1 while its size is not known yet. */
  public DoubleProperty progressProperty() {
    return progress;
  }
}
