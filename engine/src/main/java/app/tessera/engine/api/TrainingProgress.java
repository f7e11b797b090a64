package app.tessera.engine.api;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress of training a model on a library ({@link Library#train}), called on the training thread;
 * a window hops to its own thread. Every method is optional.
 */
public interface TrainingProgress {
  /** A short line for a log (what is trained on, coding, …). */
  default void message(String line) {}

  /** Items coded so far (the base model before training, the new one after). */
  default void coding(int done, int total) {}

  /**
   * An epoch ended.
   *
   * @param loss the epoch's mean training loss
   * @param validationMap mAP on the validation hold-out (image→text and text→image), {@code NaN}
   *     when there is none
   */
  default void epoch(int epoch, int epochs, double loss, double validationMap) {}

  /** Every event as a line (what the command line prints). */
  static TrainingProgress lines(Consumer<String> lines) {
    return new TrainingProgress() {
      @Override
      public void message(String line) {
        lines.accept(line);
      }

      @Override
      public void coding(int done, int total) {
        lines.accept("coded " + done + " of " + total + " items");
      }

      @Override
      public void epoch(int epoch, int epochs, double loss, double validationMap) {
        lines.accept(
            String.format(
                Locale.ROOT,
                "epoch %d/%d  loss %.4f  validation mAP %.4f",
                epoch,
                epochs,
                loss,
                validationMap));
      }
    };
  }
}
