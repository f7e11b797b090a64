package app.tessera.engine.hashing;

import app.tessera.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A cross-modal hashing method: learns K-bit codes for images and captions from paired features
 * (and labels, for supervised methods). Names used on the command line: {@code contrastive}, {@code
 * rotation}, {@code itq}, {@code bilgseh}, {@code scahn}.
 */
public interface HashingMethod {
  String name();

  /**
   * The setting names {@link #train} reads from {@link TrainingOptions#params()}; it rejects any
   * other. An evaluation of several methods gives each the settings it knows.
   */
  Set<String> settingNames();

  /** Whether {@link #train} needs {@link FeatureSet#labels()}. */
  boolean needsLabels();

  /**
   * Whether {@link #train} needs token-level features ({@link FeatureSet#imageTokens()}, {@link
   * FeatureSet#textTokens()}); its models then {@linkplain HashModel#readsTokens() read them} too.
   */
  default boolean needsTokens() {
    return false;
  }

  /**
   * Whether the method learns from features alone, with no labels and no image-caption pairs (e.g.
   * ITQ): it can then {@link #fit} on every image and caption a library holds, paired or not.
   */
  default boolean labelFree() {
    return false;
  }

  /**
   * Fits a label-free method on unpaired features of both modalities (either may be empty).
   *
   * @throws UnsupportedOperationException for a method that learns from pairs or labels
   */
  default HashModel fit(float[][] images, float[][] texts, TrainingOptions options) {
    throw new UnsupportedOperationException(name() + " learns from image-caption pairs");
  }

  /**
   * Trains on {@code train}; {@code validation} (held out from the training rows, never query rows)
   * drives early stopping and model selection.
   */
  HashModel train(
      FeatureSet train, FeatureSet validation, TrainingOptions options, TrainingListener listener);

  /**
   * Every setting that determines what {@link #train} learns, defaults included, as text: caches of
   * trained models key on it, so a changed default never reuses a stale model. Methods with
   * defaults should override this; the fallback lists only the explicit {@code params}.
   */
  default String settingsKey(TrainingOptions options) {
    return new java.util.TreeMap<>(options.params()).toString();
  }

  /** Loads a model written by {@link HashModel#save}. */
  HashModel load(Path dir) throws IOException;
}
