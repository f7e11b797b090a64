package app.tessera.desktop.models;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelInfo;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
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

  /** Switches searches to the bundle in a folder; returns a status line. Runs on a worker. */
  @FunctionalInterface
  public interface Activator {
    String use(Path bundleDir) throws Exception;
  }

  private final ObservableList<ModelInfo> models = FXCollections.observableArrayList();
  private final ObjectProperty<ModelInfo> active = new SimpleObjectProperty<>();
  private final StringProperty status = new SimpleStringProperty("");
  private final BooleanProperty switching = new SimpleBooleanProperty();

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

  /** Uses {@code model}'s bundle for searches from now on (it becomes the active model). */
  public CompletableFuture<Void> use(ModelInfo model) {
    if (model == null || model.bundleDir() == null) {
      notifications.warn(
          "This model cannot search",
          "It has no bundle folder to load (an evaluation model, or its folder was moved).");
      return CompletableFuture.completedFuture(null);
    }
    switching.set(true);
    status.set("Loading " + model.name() + "…");
    return tasks.run(
        () -> activate.use(model.bundleDir()),
        line -> {
          switching.set(false);
          status.set("");
          notifications.success("Searches use " + model.name(), line);
          refresh();
        },
        e -> {
          switching.set(false);
          status.set("");
          notifications.error("Could not load " + model.name(), e);
        });
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
}
