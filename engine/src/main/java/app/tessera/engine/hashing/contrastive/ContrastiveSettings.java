package app.tessera.engine.hashing.contrastive;

import app.tessera.engine.hashing.MethodParams;
import app.tessera.engine.hashing.TrainingOptions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hyper-parameters of {@link ContrastiveHashing}, read from {@link TrainingOptions#params()} by the
 * names below (defaults in brackets); any other name is rejected. They are Tessera's own choices,
 * set on the validation split of EmojiXM's training rows, never on query rows.
 *
 * @param hidden width of each head's hidden layer ({@code hidden}, 256)
 * @param dropout dropout after the hidden layer ({@code dropout}, 0.3)
 * @param temperature InfoNCE temperature on cosine similarities of codes ({@code temperature}, 0.2)
 * @param batchSize pairs per step ({@code batch}, 256)
 * @param learningRate Adam learning rate ({@code lr}, 0.001)
 * @param quantization weight of the quantisation loss mean((|h| - 1)^2) ({@code quantization}, 0.1)
 * @param balance weight of bit balance + decorrelation ({@code balance}, 0.1)
 * @param structure weight of the feature-affinity preservation loss ({@code structure}, 0)
 * @param affinityScale scale of the feature affinity before clipping ({@code affinityScale}, 1.4)
 * @param patience epochs without a better validation score before stopping ({@code patience}, 4)
 */
public record ContrastiveSettings(
    int hidden,
    float dropout,
    float temperature,
    int batchSize,
    float learningRate,
    float quantization,
    float balance,
    float structure,
    float affinityScale,
    int patience) {

  public ContrastiveSettings {
    if (hidden <= 0 || batchSize < 2 || patience < 1) {
      throw new IllegalArgumentException(
          "contrastive: hidden, batch and patience must be positive");
    }
    if (!(temperature > 0) || !(learningRate > 0) || dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("contrastive: bad temperature, lr or dropout");
    }
  }

  /** The names {@link #from} reads; any other is rejected. */
  static final Set<String> NAMES =
      Set.of(
          "hidden",
          "dropout",
          "temperature",
          "batch",
          "lr",
          "quantization",
          "balance",
          "structure",
          "affinityScale",
          "patience");

  static ContrastiveSettings from(TrainingOptions options) {
    MethodParams p = MethodParams.of("contrastive", options.params(), NAMES);
    return new ContrastiveSettings(
        p.intValue("hidden", 256),
        p.floatValue("dropout", 0.3f),
        p.floatValue("temperature", 0.2f),
        p.intValue("batch", 256),
        p.floatValue("lr", 0.001f),
        p.floatValue("quantization", 0.1f),
        p.floatValue("balance", 0.1f),
        p.floatValue("structure", 0f),
        p.floatValue("affinityScale", 1.4f),
        p.intValue("patience", 4));
  }

  /** The settings as name → value, in the spelling {@link #from} reads. */
  Map<String, String> asParams() {
    Map<String, String> params = new TreeMap<>();
    params.put("hidden", Integer.toString(hidden));
    params.put("dropout", Float.toString(dropout));
    params.put("temperature", Float.toString(temperature));
    params.put("batch", Integer.toString(batchSize));
    params.put("lr", Float.toString(learningRate));
    params.put("quantization", Float.toString(quantization));
    params.put("balance", Float.toString(balance));
    params.put("structure", Float.toString(structure));
    params.put("affinityScale", Float.toString(affinityScale));
    params.put("patience", Integer.toString(patience));
    return params;
  }
}
