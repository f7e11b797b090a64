package app.tessera.engine.hashing.bilgseh;

import app.tessera.engine.Device;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.train.DjlRuntime;
import app.tessera.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * BiLGSEH (Zhu et al., IEEE TCSVT 2025): supervised cross-modal hashing with bi-directional label
 * similarity, label-guided semantic fusion and a relation graph over image and text nodes.
 *
 * <p>Training alternates, every epoch and over the same batches in the same order, a phase-1 pass
 * (the {@linkplain CodeLearningNetwork code-learning network}, which sees labels) and a phase-2
 * pass (the {@linkplain HashFunctions label-free hash functions}, which regress phase 1's sign
 * codes); only phase 2 is kept. Settings: {@link BilgsehConfig}. Differences from the released
 * code, on purpose: the attention is a real {@linkplain LabelGuidedAttention label-guided
 * attention} (the reference's length-1 form stays reachable with {@code attention=degenerate});
 * every training row is used each epoch (no {@code drop_last}); the checkpoint is chosen on the
 * caller's validation split of training rows, never on query rows.
 *
 * <p>Model selection: after each epoch the phase-2 codes of the validation rows query the training
 * rows (mean of image→text and text→image mAP@all, shared-label relevance); the best epoch's hash
 * functions are kept and training stops after {@code patience} epochs without improvement. Without
 * a validation set the last epoch is kept. {@link TrainingOptions#checkpointDir()} is not used: a
 * run is short enough to restart.
 */
public final class Bilgseh implements HashingMethod {
  /** The method's name on the command line and in saved models. */
  public static final String NAME = "bilgseh";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> settingNames() {
    return BilgsehConfig.NAMES;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  @Override
  public BilgsehModel train(
      FeatureSet train, FeatureSet validation, TrainingOptions options, TrainingListener listener) {
    BilgsehConfig config = BilgsehConfig.from(options);
    return new BilgsehTrainer(
            train, validation, options.bits(), options.seed(), config, options.device())
        .train(listener == null ? TrainingListener.NONE : listener);
  }

  /** The fully resolved settings (preset, overrides and defaults), so caches never go stale. */
  @Override
  public String settingsKey(TrainingOptions options) {
    return BilgsehConfig.from(options).asParams().toString();
  }

  @Override
  public HashModel load(Path dir) throws IOException {
    return BilgsehModel.load(dir, djlDevice(Device.AUTO));
  }

  /** Loads a model onto {@code device}. */
  public BilgsehModel load(Path dir, Device device) throws IOException {
    return BilgsehModel.load(dir, djlDevice(device));
  }

  static ai.djl.Device djlDevice(Device device) {
    return DjlRuntime.resolve(device);
  }
}
