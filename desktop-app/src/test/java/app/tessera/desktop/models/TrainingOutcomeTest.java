package app.tessera.desktop.models;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.ModelInfo;
import app.tessera.engine.api.TrainingReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the Models page says a training run came to (the chance check among it). */
class TrainingOutcomeTest {
  private static final Path DIR = Path.of("models", "m");

  private static ModelInfo model(boolean active) {
    return new ModelInfo(7, "lib-scahn-16", "scahn", 16, "tessera-cnn", "minilm", "", DIR, active);
  }

  private static CodingReport coded(int remaining) {
    return new CodingReport("lib-scahn-16", 0, 0, 80 - remaining, 0, remaining, 0.1);
  }

  @Test
  void aModelThatDoesNotBeatChanceIsSaidSoAndNotUsed() {
    TrainingReport report =
        new TrainingReport(DIR, model(false), 13, 2, 12, 0.41, 0.47, null, false);
    assertThat(TrainingViewModel.outcome(report))
        .contains("Trained lib-scahn-16 on 13 pairs with 2 labels.")
        .contains("Validation mAP 0.410, chance 0.470 (best of 20 random codings).")
        .contains("does not beat chance, so searches keep the current model")
        .doesNotContain("Searches use it now");
  }

  @Test
  void aModelAboveChanceIsUsedOnceCodedAndACancelledCodingSaysSo() {
    TrainingReport used =
        new TrainingReport(DIR, model(true), 13, 2, 12, 0.62, 0.47, coded(0), true);
    assertThat(TrainingViewModel.outcome(used))
        .contains("Validation mAP 0.620, chance 0.470")
        .endsWith("Searches use it now.");
    TrainingReport stopped =
        new TrainingReport(DIR, model(false), 13, 2, 12, 0.62, 0.47, coded(30), false);
    assertThat(TrainingViewModel.outcome(stopped)).contains("it is not used yet");
  }

  @Test
  void aLabelFreeFitSaysWhatItWasFittedOnWithoutAChanceCheck() {
    TrainingReport itq =
        new TrainingReport(DIR, model(true), 0, 0, 44, Double.NaN, Double.NaN, coded(0), true);
    assertThat(TrainingViewModel.outcome(itq))
        .startsWith("Fitted lib-scahn-16 on 44 images and captions (no labels).")
        .doesNotContain("chance")
        .endsWith("Searches use it now.");
  }
}
