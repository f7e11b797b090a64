package app.tessera.engine.hashing.scahn;

import app.tessera.engine.Device;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.train.Checkpoint;
import app.tessera.engine.train.DjlRuntime;
import app.tessera.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * SCAHN (Liang et al., "Semantic Structure Enhanced Contrastive Adversarial Hash Network", ACM MM
 * 2022): supervised cross-modal hashing from region and word tokens. The paper publishes no code;
 * its four components are built here to Tessera's own design ({@code docs/methods.md}, SCAHN
 * section; settings in {@link ScahnConfig}):
 *
 * <ol>
 *   <li>fine-grained cross-media attention: each modality pools its own tokens by a learned
 *       saliency ({@link ModalityEncoder}); in training, the words of a caption attend over the
 *       regions of its image and back ({@link ScahnLosses#crossSaliency}), the fused features of
 *       what the other modality points at are classified, and each modality's own saliency learns
 *       to follow it (KL), so that at query time an item alone attends where its pair would;
 *   <li>a label association graph ({@link LabelGraph}) and a two-layer GCN that turns it into
 *       per-label classifiers guiding both modalities' features (multi-label loss);
 *   <li>cross- and intra-media contrastive learning on the codes with label-aware positives
 *       (weighted by label overlap) plus an instance term (an item's own pair), and
 *   <li>dual-way adversarial alignment: "is it a caption?" and "is it an image?" discriminators at
 *       feature and at code level, each moving one modality towards the other through gradient
 *       reversal (BCE).
 * </ol>
 *
 * Codes: h = tanh of one shared hash layer; bits = sign(h), 0 → +1. A query is coded from its own
 * features and tokens only: no labels, nothing of the other modality. Model selection: on the
 * caller's validation split of training rows (never query rows), by the mean over both directions
 * of mAP@all, mAP@50 and P@10 of validation rows querying the training rows, so that the head of
 * the ranking counts as much as the whole list; training stops after {@code patience} epochs
 * without a better score. With {@link TrainingOptions#checkpointDir()} set, a killed run resumes
 * after its last finished epoch ({@link Checkpoint}).
 */
public final class Scahn implements HashingMethod {
  /** The method's name on the command line and in saved models. */
  public static final String NAME = "scahn";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> settingNames() {
    return ScahnConfig.NAMES;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  @Override
  public boolean needsTokens() {
    return true;
  }

  @Override
  public ScahnModel train(
      FeatureSet train, FeatureSet validation, TrainingOptions options, TrainingListener listener) {
    ScahnConfig config = ScahnConfig.from(options);
    return new ScahnTrainer(
            train,
            validation,
            options.bits(),
            options.seed(),
            config,
            options.device(),
            new Checkpoint(options.checkpointDir()))
        .train(listener == null ? TrainingListener.NONE : listener);
  }

  /** The fully resolved settings, so the model cache never reuses a model of other defaults. */
  @Override
  public String settingsKey(TrainingOptions options) {
    return "v1" + ScahnConfig.from(options).asParams();
  }

  @Override
  public HashModel load(Path dir) throws IOException {
    return ScahnModel.load(dir, DjlRuntime.resolve(Device.AUTO));
  }
}
