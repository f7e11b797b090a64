package app.tessera.desktop.search;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Errors;
import app.tessera.engine.api.ItemDetails;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The preview over a result list: which result is shown, stepping to the next or previous one, and
 * the shown image's details (loaded in the search lane; a late answer for a result no longer shown
 * is dropped). FX thread only.
 */
public final class PreviewModel {
  private final Supplier<SearchBackend> backend;
  private final BackgroundTasks tasks;
  private final BooleanProperty showing = new SimpleBooleanProperty();
  private final IntegerProperty index = new SimpleIntegerProperty(-1);
  private final ObjectProperty<ResultCard> card = new SimpleObjectProperty<>();
  private final ObjectProperty<ItemDetails> details = new SimpleObjectProperty<>();
  private final StringProperty problem = new SimpleStringProperty("");
  private List<ResultCard> list = List.of();

  PreviewModel(Supplier<SearchBackend> backend, BackgroundTasks tasks) {
    this.backend = backend;
    this.tasks = tasks;
  }

  /** Opens the preview on {@code list.get(at)}; arrows then step through {@code list}. */
  public CompletableFuture<Void> open(List<ResultCard> list, int at) {
    if (at < 0 || at >= list.size()) {
      return CompletableFuture.completedFuture(null);
    }
    this.list = list;
    showing.set(true);
    return show(at);
  }

  public CompletableFuture<Void> next() {
    return step(1);
  }

  public CompletableFuture<Void> previous() {
    return step(-1);
  }

  public void close() {
    showing.set(false);
  }

  private CompletableFuture<Void> step(int by) {
    int to = index.get() + by;
    if (!showing.get() || to < 0 || to >= list.size()) {
      return CompletableFuture.completedFuture(null);
    }
    return show(to);
  }

  private CompletableFuture<Void> show(int at) {
    ResultCard shown = list.get(at);
    index.set(at);
    card.set(shown);
    details.set(null);
    problem.set("");
    SearchBackend engine = backend.get();
    return tasks.search(
        () -> engine.details(shown.itemId()).orElse(null),
        found -> {
          if (card.get() != shown) {
            return; // stepped on meanwhile
          }
          details.set(found);
          if (found == null) {
            problem.set("This image is no longer in the library.");
          }
        },
        failure -> {
          if (card.get() == shown) {
            problem.set(Errors.message(failure));
          }
        });
  }

  public boolean hasNext() {
    return index.get() + 1 < list.size();
  }

  public boolean hasPrevious() {
    return index.get() > 0;
  }

  /** How many results the preview steps through. */
  public int size() {
    return list.size();
  }

  public BooleanProperty showingProperty() {
    return showing;
  }

  public IntegerProperty indexProperty() {
    return index;
  }

  public ObjectProperty<ResultCard> cardProperty() {
    return card;
  }

  public ObjectProperty<ItemDetails> detailsProperty() {
    return details;
  }

  /** Why the details could not be shown, or empty. */
  public StringProperty problemProperty() {
    return problem;
  }
}
