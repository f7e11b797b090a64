package app.tessera.engine.api;

import app.tessera.engine.train.TrainingListener;
import java.util.Locale;
import java.util.function.Consumer;

/** Training progress as the one line per epoch that front ends show. */
final class EpochLines {
  private EpochLines() {}

  static TrainingListener to(Consumer<String> progress) {
    return (epoch, epochs, loss, score) ->
        progress.accept(
            String.format(
                Locale.ROOT,
                "epoch %d/%d  loss %.4f  validation mAP %.4f",
                epoch,
                epochs,
                loss,
                score));
  }
}
