package app.tessera.engine.api;

import app.tessera.engine.hashing.Validation;
import java.nio.file.Path;

/**
 * A model trained on a library's own items.
 *
 * @param bundleDir the new model bundle (the encoders and the new hashing model)
 * @param model the new model, registered in the library
 * @param pairs image-caption pairs trained and validated on (0 for a label-free fit)
 * @param labels distinct labels (0 for a label-free method on unlabelled data)
 * @param rows feature rows the model was fitted on
 * @param validation mAP on the held-out validation rows; NaN when not measured (a label-free fit
 *     has none)
 * @param chance the best mAP of random codings of the same validation rows; NaN likewise
 * @param coding what coding the library with the new model did, or null when it was not coded (a
 *     model that did not beat chance)
 * @param activated whether the model became the library's active one: only when it beat chance (or
 *     is label-free) and every item got its code
 */
public record TrainingReport(
    Path bundleDir,
    ModelInfo model,
    int pairs,
    int labels,
    int rows,
    double validation,
    double chance,
    CodingReport coding,
    boolean activated) {

  /** How many random codings the chance level is the best of. */
  public static final int CHANCE_DRAWS = Validation.CHANCE_DRAWS;

  /** Whether the model was judged on validation rows (label-free fits are not). */
  public boolean validated() {
    return !Double.isNaN(chance);
  }

  /**
   * Whether the model showed on its validation rows that it learned something: its mAP there is
   * above every random coding's. Label-free fits, which have no validation, count as passing.
   */
  public boolean beatsChance() {
    return !validated() || validation > chance;
  }
}
