package app.tessera.engine.hashing.contrastive;

import app.tessera.engine.hashing.TrainingOptions;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hyper-parameters of {@link ContrastiveHashing}, read from {@link TrainingOptions#params()} by the
 * names below (defaults in brackets). They are Tessera's own choices, set on the validation split
 * of EmojiXM's training rows, never on query rows.
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

  static ContrastiveSettings from(TrainingOptions options) {
    try {
      return new ContrastiveSettings(
          Integer.parseInt(options.param("hidden", "256")),
          Float.parseFloat(options.param("dropout", "0.3")),
          Float.parseFloat(options.param("temperature", "0.2")),
          Integer.parseInt(options.param("batch", "256")),
          Float.parseFloat(options.param("lr", "0.001")),
          Float.parseFloat(options.param("quantization", "0.1")),
          Float.parseFloat(options.param("balance", "0.1")),
          Float.parseFloat(options.param("structure", "0")),
          Float.parseFloat(options.param("affinityScale", "1.4")),
          Integer.parseInt(options.param("patience", "4")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "contrastive: a setting is not a number: " + e.getMessage());
    }
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
