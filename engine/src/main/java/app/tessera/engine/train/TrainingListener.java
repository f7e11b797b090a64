package app.tessera.engine.train;

/** Progress of a training run, for the CLI's progress line and the GUI's bindings. */
@FunctionalInterface
public interface TrainingListener {
  /**
   * Called after each epoch with the mean training loss and the validation score (higher is better,
   * {@code NaN} when there is none).
   */
  void epochEnded(int epoch, int epochs, double trainLoss, double validationScore);

  TrainingListener NONE = (epoch, epochs, loss, score) -> {};
}
