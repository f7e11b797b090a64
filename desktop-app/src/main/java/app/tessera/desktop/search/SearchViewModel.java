package app.tessera.desktop.search;

import app.tessera.desktop.BackgroundTasks;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** State of the search page and the one action on it; the engine runs in the background. */
public final class SearchViewModel {
  static final int TOP = 60;

  private final StringProperty text = new SimpleStringProperty("");
  private final ObjectProperty<Path> image = new SimpleObjectProperty<>();
  private final ObjectProperty<SearchQuery.Target> target =
      new SimpleObjectProperty<>(SearchQuery.Target.IMAGES);
  private final ObservableList<ResultCard> results = FXCollections.observableArrayList();
  private final BooleanProperty busy = new SimpleBooleanProperty();
  private final StringProperty status = new SimpleStringProperty("");
  private final BackgroundTasks tasks;
  private SearchBackend backend;

  /** Increases with every query asked; only the latest query's outcome is shown. */
  private long asked;

  public SearchViewModel(SearchBackend backend, BackgroundTasks tasks) {
    this.backend = backend;
    this.tasks = tasks;
  }

  public void setBackend(SearchBackend backend) {
    this.backend = backend;
  }

  /**
   * Starts a search for the current text/image in the search lane (never behind indexing or
   * coding); its results replace the previous ones unless a newer query was asked meanwhile, whose
   * results then win whatever order they arrive in.
   */
  public CompletableFuture<Void> search() {
    SearchQuery query = new SearchQuery(text.get(), image.get(), target.get(), TOP);
    if (!query.hasText() && !query.hasImage()) {
      status.set("Type what you are looking for, or drop an image.");
      return CompletableFuture.completedFuture(null);
    }
    long ticket = ++asked;
    busy.set(true);
    status.set("Searching…");
    SearchBackend engine = backend;
    return tasks.search(
        () -> engine.search(query),
        outcome -> {
          if (ticket != asked) {
            return; // a newer query is on its way
          }
          busy.set(false);
          results.setAll(outcome.results());
          status.set(
              outcome.results().isEmpty()
                  ? "Nothing found."
                  : String.format(
                      Locale.ROOT,
                      "%d %s in %.1f ms",
                      outcome.results().size(),
                      query.target() == SearchQuery.Target.IMAGES ? "images" : "captions",
                      outcome.millis()));
        },
        failure -> {
          if (ticket != asked) {
            return;
          }
          busy.set(false);
          results.clear();
          status.set(failure.getMessage() == null ? failure.toString() : failure.getMessage());
        });
  }

  public StringProperty textProperty() {
    return text;
  }

  public ObjectProperty<Path> imageProperty() {
    return image;
  }

  public ObjectProperty<SearchQuery.Target> targetProperty() {
    return target;
  }

  public ObservableList<ResultCard> results() {
    return results;
  }

  public BooleanProperty busyProperty() {
    return busy;
  }

  public StringProperty statusProperty() {
    return status;
  }
}
