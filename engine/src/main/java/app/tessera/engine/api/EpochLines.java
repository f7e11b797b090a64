package app.tessera.engine.api;

import app.tessera.engine.train.TrainingListener;
import java.util.function.Consumer;

/** Training progress as the one line per epoch that front ends show. */
final class EpochLines {
  private EpochLines() {}

  static TrainingListener to(Consumer<String> progress) {
    TrainingProgress lines = TrainingProgress.lines(progress);
    return lines::epoch;
  }
}
