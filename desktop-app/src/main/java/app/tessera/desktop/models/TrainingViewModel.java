package app.tessera.desktop.models;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.api.TrainRequest;
import app.tessera.engine.api.TrainingProgress;
import app.tessera.engine.api.TrainingReport;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.chart.XYChart;

/**
 * Training a model on the library's own captions and labels from the Models page: the method, code
 * length and epochs; a live chart of the training loss and the validation mAP of every epoch;
 * cancel. The new model searches once every item is coded with it.
 */
public final class TrainingViewModel {
  /** Trains and, once coded, searches with the new model. Runs on a worker. */
  @FunctionalInterface
  public interface Trainer {
    TrainingReport train(
        TrainRequest request, String name, Cancellation control, TrainingProgress progress)
        throws Exception;
  }

  /** Code lengths offered (multiples of 16, as the methods need). */
  public static final List<Integer> BITS = List.of(16, 32, 64, 128);

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private final BackgroundTasks tasks;
  private final Trainer trainer;
  private final Notifications notifications;
  private final Supplier<String> libraryName;
  private final Supplier<Device> device;
  private final Consumer<TrainingReport> trained;
  private final ObservableList<String> methods =
      FXCollections.observableArrayList(TrainRequest.methods());
  private final StringProperty method = new SimpleStringProperty("contrastive");
  private final ObjectProperty<Integer> bits = new SimpleObjectProperty<>(64);
  private final IntegerProperty epochs = new SimpleIntegerProperty(20);
  private final BooleanProperty running = new SimpleBooleanProperty();
  private final DoubleProperty progress = new SimpleDoubleProperty();
  private final StringProperty status = new SimpleStringProperty("");
  private final XYChart.Series<Number, Number> loss = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> validation = new XYChart.Series<>();
  private volatile Cancellation control;

  /**
   * @param libraryName the library's name, for the new model's name (any thread)
   * @param device where training runs (the Settings page's choice)
   * @param trained on the UI thread after a run that made a model
   */
  public TrainingViewModel(
      BackgroundTasks tasks,
      Trainer trainer,
      Notifications notifications,
      Supplier<String> libraryName,
      Supplier<Device> device,
      Consumer<TrainingReport> trained) {
    this.tasks = tasks;
    this.trainer = trainer;
    this.notifications = notifications;
    this.libraryName = libraryName;
    this.device = device;
    this.trained = trained;
    loss.setName("training loss");
    validation.setName("validation mAP");
  }

  /** Trains with the chosen settings; the chart starts afresh. */
  public CompletableFuture<Void> train() {
    if (running.get()) {
      return CompletableFuture.completedFuture(null);
    }
    TrainRequest request =
        new TrainRequest(method.get(), bits.get(), epochs.get(), 1, device.get(), Map.of());
    String name =
        libraryName.get()
            + "-"
            + request.method()
            + "-"
            + request.bits()
            + "-"
            + STAMP.format(LocalDateTime.now());
    Cancellation control = new Cancellation();
    this.control = control;
    running.set(true);
    progress.set(-1);
    loss.getData().clear();
    validation.getData().clear();
    status.set("Preparing: encoding the library's items with the current model's encoders…");
    return tasks.run(
        () -> trainer.train(request, name, control, new Progress()),
        report -> {
          stop();
          status.set(outcome(report));
          if (report.beatsChance()) {
            notifications.success("Model trained", report.model().name());
          } else {
            notifications.warn(
                "Model does not beat chance",
                report.model().name() + " is kept in the list but searches do not use it.");
          }
          trained.accept(report);
        },
        failure -> {
          stop();
          if (failure instanceof CancellationException) {
            status.set("Cancelled: " + failure.getMessage() + "; nothing was saved.");
          } else {
            status.set("Training stopped.");
            notifications.error("Training stopped", failure);
          }
        });
  }

  /**
   * What a training run came to, in a line or two: what it was fitted on, its validation mAP
   * against chance, and whether searches use it now.
   */
  public static String outcome(TrainingReport report) {
    String fitted =
        report.pairs() > 0
            ? String.format(
                Locale.ROOT,
                "Trained %s on %,d pairs%s.",
                report.model().name(),
                report.pairs(),
                report.labels() > 0 ? " with " + report.labels() + " labels" : "")
            : String.format(
                Locale.ROOT,
                "Fitted %s on %,d images and captions (no labels).",
                report.model().name(),
                report.rows());
    String judged =
        report.validated()
            ? String.format(
                Locale.ROOT,
                " Validation mAP %.3f, chance %.3f (best of %d random codings).",
                report.validation(),
                report.chance(),
                TrainingReport.CHANCE_DRAWS)
            : "";
    String used;
    if (!report.beatsChance()) {
      used = " It does not beat chance, so searches keep the current model.";
    } else if (report.activated()) {
      used = " Searches use it now.";
    } else {
      used =
          " Coding stopped before every item had a code: it is not used yet (choose it in the"
              + " list to finish).";
    }
    return fitted + judged + used;
  }

  /** Stops at the end of the current epoch; nothing is saved. */
  public void cancel() {
    Cancellation now = control;
    if (now != null) {
      now.cancel();
      status.set("Cancelling after this epoch…");
    }
  }

  private void stop() {
    running.set(false);
    progress.set(0);
    control = null;
  }

  /** Epochs and coding on the UI thread. */
  private final class Progress implements TrainingProgress {
    @Override
    public void coding(int done, int total) {
      tasks.onUi(
          () -> {
            if (running.get() && loss.getData().isEmpty()) {
              progress.set(total == 0 ? -1 : (double) done / total);
              status.set(String.format(Locale.ROOT, "Coding · %,d of %,d items", done, total));
            } else if (running.get()) {
              progress.set(total == 0 ? -1 : (double) done / total);
              status.set(
                  String.format(
                      Locale.ROOT, "Coding with the new model · %,d of %,d items", done, total));
            }
          });
    }

    @Override
    public void epoch(int epoch, int epochs, double lossValue, double map) {
      tasks.onUi(
          () -> {
            if (Double.isFinite(lossValue)) {
              loss.getData().add(new XYChart.Data<>(epoch, lossValue));
            }
            if (Double.isFinite(map)) {
              validation.getData().add(new XYChart.Data<>(epoch, map));
            }
            progress.set((double) epoch / epochs);
            status.set(
                String.format(
                    Locale.ROOT,
                    "Epoch %d of at most %d · loss %.4f · validation mAP %s",
                    epoch,
                    epochs,
                    lossValue,
                    Double.isFinite(map) ? String.format(Locale.ROOT, "%.3f", map) : "—"));
          });
    }
  }

  public ObservableList<String> methods() {
    return methods;
  }

  public StringProperty methodProperty() {
    return method;
  }

  public ObjectProperty<Integer> bitsProperty() {
    return bits;
  }

  public IntegerProperty epochsProperty() {
    return epochs;
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

  /** The training loss by epoch. */
  public XYChart.Series<Number, Number> loss() {
    return loss;
  }

  /** The validation mAP by epoch (on the held-out tenth of the training images). */
  public XYChart.Series<Number, Number> validation() {
    return validation;
  }
}
