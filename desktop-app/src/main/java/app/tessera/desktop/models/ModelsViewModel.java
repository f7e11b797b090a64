package app.tessera.desktop.models;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelInfo;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The models page: the library's registered models and which one searches use. */
public final class ModelsViewModel {
  private final Supplier<Library> library;
  private final BackgroundTasks tasks;
  private final Activator activate;

  /** Switches searches to the bundle in a folder; returns a status line. Runs on a worker. */
  @FunctionalInterface
  public interface Activator {
    String use(Path bundleDir) throws Exception;
  }

  private final ObservableList<ModelInfo> models = FXCollections.observableArrayList();
  private final StringProperty status = new SimpleStringProperty("");

  public ModelsViewModel(Supplier<Library> library, BackgroundTasks tasks, Activator activate) {
    this.library = library;
    this.tasks = tasks;
    this.activate = activate;
  }

  public CompletableFuture<Void> refresh() {
    return tasks.run(() -> library.get().models(), models::setAll, e -> status.set(e.getMessage()));
  }

  /** Uses {@code model}'s bundle for searches from now on (it becomes the active model). */
  public CompletableFuture<Void> use(ModelInfo model) {
    if (model == null || model.bundleDir() == null) {
      status.set("This model has no bundle folder to load.");
      return CompletableFuture.completedFuture(null);
    }
    status.set("Loading " + model.name() + "…");
    return tasks.run(
        () -> activate.use(model.bundleDir()),
        line -> {
          status.set(line);
          refresh();
        },
        e -> status.set("Could not load " + model.name() + ": " + e.getMessage()));
  }

  public ObservableList<ModelInfo> models() {
    return models;
  }

  public StringProperty statusProperty() {
    return status;
  }
}
