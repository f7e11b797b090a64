package app.tessera.desktop.models;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Errors;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.LibraryEvaluation;
import app.tessera.engine.api.ModelInfo;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * A model's evaluation report on the library's labelled items (mAP in both directions beside the
 * no-hashing ceiling and chance, P@K, precision–recall by Hamming radius), or why there is none.
 */
public final class EvaluationViewModel {
  private final Supplier<Library> library;
  private final BackgroundTasks tasks;
  private final ObjectProperty<LibraryEvaluation> report = new SimpleObjectProperty<>();
  private final StringProperty status =
      new SimpleStringProperty("Choose a model and \"Evaluate\" to see how well it retrieves.");
  private final BooleanProperty running = new SimpleBooleanProperty();

  public EvaluationViewModel(Supplier<Library> library, BackgroundTasks tasks) {
    this.library = library;
    this.tasks = tasks;
  }

  /** Evaluates {@code model} with its stored codes. */
  public CompletableFuture<Void> evaluate(ModelInfo model) {
    if (model == null || running.get()) {
      return CompletableFuture.completedFuture(null);
    }
    running.set(true);
    status.set("Evaluating " + model.name() + "…");
    return tasks.run(
        () -> library.get().evaluate(model),
        result -> {
          running.set(false);
          report.set(result);
          status.set(
              String.format(
                  "%s on this library: %d query images against %d images, %d labels. An item is"
                      + " relevant when it shares a label with the query; queries are never"
                      + " trained on.",
                  result.model(), result.queryImages(), result.databaseImages(), result.labels()));
        },
        failure -> {
          running.set(false);
          report.set(null);
          status.set("No evaluation: " + Errors.message(failure));
        });
  }

  public ObjectProperty<LibraryEvaluation> reportProperty() {
    return report;
  }

  public StringProperty statusProperty() {
    return status;
  }

  public BooleanProperty runningProperty() {
    return running;
  }
}
