package app.tessera.desktop.models;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ModelStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The models page: the library's registered models and which one searches use. */
public final class ModelsViewModel {
  private final Supplier<Catalog> catalog;
  private final BackgroundTasks tasks;
  private final Activator activate;

  /** Switches searches to the bundle in a folder; returns a status line. Runs on a worker. */
  @FunctionalInterface
  public interface Activator {
    String use(Path bundleDir) throws Exception;
  }

  private final ObservableList<ModelStore.Model> models = FXCollections.observableArrayList();
  private final StringProperty status = new SimpleStringProperty("");

  public ModelsViewModel(Supplier<Catalog> catalog, BackgroundTasks tasks, Activator activate) {
    this.catalog = catalog;
    this.tasks = tasks;
    this.activate = activate;
  }

  public CompletableFuture<Void> refresh() {
    return tasks.run(
        () -> new ModelStore(catalog.get()).list(),
        models::setAll,
        e -> status.set(e.getMessage()));
  }

  /** Uses {@code model}'s bundle for searches from now on. */
  public CompletableFuture<Void> use(ModelStore.Model model) {
    if (model == null || model.path() == null) {
      status.set("This model has no bundle folder to load.");
      return CompletableFuture.completedFuture(null);
    }
    status.set("Loading " + model.name() + "…");
    return tasks.run(
        () -> activate.use(Path.of(model.path())),
        status::set,
        e -> status.set("Could not load " + model.name() + ": " + e.getMessage()));
  }

  public ObservableList<ModelStore.Model> models() {
    return models;
  }

  public StringProperty statusProperty() {
    return status;
  }
}
