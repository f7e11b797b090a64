package app.tessera.engine.hashing.scahn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import app.tessera.engine.hashing.HashLosses;
import app.tessera.engine.hashing.LabelSimilarity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SCAHN's training objective: the weighted loss terms of one batch, component by component
 * (Tessera's design; see {@link Scahn} and {@link ScahnConfig}). The training loss is their sum;
 * the terms of a switched-off component ({@code ablate}) are left out.
 */
final class ScahnObjective {
  private final ScahnConfig config;

  ScahnObjective(ScahnConfig config) {
    this.config = config;
  }

  /** One batch of paired rows. */
  record Batch(
      NDArray imageX, NDArray imageTokens, NDArray textX, NDArray textTokens, NDArray labels) {}

  /**
   * The weighted loss terms of {@code batch} by name, with the label graph's {@code embeddings} and
   * normalised adjacency {@code graph}, and {@code lambda} the gradient reversal's scale now.
   */
  Map<String, NDArray> terms(
      ScahnNetwork network,
      ParameterStore store,
      Batch batch,
      NDArray embeddings,
      NDArray graph,
      float lambda) {
    Map<String, NDArray> terms = new LinkedHashMap<>();
    ScahnHashFunctions functions = network.functions();
    NDList image =
        functions.image().forward(store, new NDList(batch.imageX(), batch.imageTokens()), true);
    NDList text =
        functions.text().forward(store, new NDList(batch.textX(), batch.textTokens()), true);
    NDArray zImage = image.get(0);
    NDArray zText = text.get(0);
    NDArray hImage = functions.hash(store, zImage, true);
    NDArray hText = functions.hash(store, zText, true);
    NDArray labels = batch.labels();

    // Component 2: the label graph's classifiers guide both modalities' features.
    NDArray classifiers = network.classifiers(store, embeddings, graph, true).transpose();
    terms.put(
        "classify",
        ScahnLosses.bceWithLogits(zImage.matMul(classifiers), labels)
            .add(ScahnLosses.bceWithLogits(zText.matMul(classifiers), labels))
            .mul(config.wClassify()));

    // Component 1: what each modality's tokens look like through the other's eyes.
    if (config.uses(ScahnConfig.Component.ATTENTION)) {
      NDArray regions = image.get(1);
      NDArray words = text.get(1);
      NDArray imageSaliency = image.get(2);
      NDArray textSaliency = text.get(2);
      NDArray regionsSeen =
          ScahnLosses.crossSaliency(
              words,
              textSaliency,
              regions,
              ModalityEncoder.mask(batch.imageTokens()),
              config.crossTemperature());
      NDArray wordsSeen =
          ScahnLosses.crossSaliency(
              regions,
              imageSaliency,
              words,
              ModalityEncoder.mask(batch.textTokens()),
              config.crossTemperature());
      NDArray imageFused =
          functions
              .image()
              .fuse(
                  store,
                  HashLosses.normalizeRows(batch.imageX()),
                  ModalityEncoder.pool(regionsSeen, regions),
                  true);
      NDArray textFused =
          functions
              .text()
              .fuse(
                  store,
                  HashLosses.normalizeRows(batch.textX()),
                  ModalityEncoder.pool(wordsSeen, words),
                  true);
      NDArray attention =
          ScahnLosses.bceWithLogits(imageFused.matMul(classifiers), labels)
              .add(ScahnLosses.bceWithLogits(textFused.matMul(classifiers), labels))
              .add(ScahnLosses.kl(regionsSeen.stopGradient(), imageSaliency))
              .add(ScahnLosses.kl(wordsSeen.stopGradient(), textSaliency));
      terms.put("attention", attention.mul(config.wAttention()));
    }

    // Codes keep the label structure, with room for each item's own bits.
    NDArray target = ScahnLosses.similarityTarget(LabelSimilarity.of(labels), config.ceiling());
    NDArray similarity =
        HashLosses.mse(HashLosses.cosine(hImage, hText), target)
            .add(HashLosses.mse(HashLosses.cosine(hImage, hImage), target))
            .add(HashLosses.mse(HashLosses.cosine(hText, hText), target));
    terms.put("similarity", similarity.mul(config.wSimilarity()));

    // Component 3: label-aware (cross- and intra-media) and instance contrastive terms.
    if (config.uses(ScahnConfig.Component.CONTRASTIVE)) {
      NDArray positives = ScahnLosses.bothModalities(ScahnLosses.jaccard(labels));
      terms.put(
          "contrastive",
          HashLosses.weightedNtXent(hImage, hText, positives, config.tau())
              .mul(config.wContrastive()));
      terms.put("instance", HashLosses.ntXent(hImage, hText, config.tau()).mul(config.wInstance()));
    }

    // Component 4: dual-way adversarial alignment, features and codes.
    if (config.uses(ScahnConfig.Component.ADVERSARIAL)) {
      NDArray adversarial =
          dualWay(
                  network,
                  store,
                  HashLosses.normalizeRows(zImage),
                  HashLosses.normalizeRows(zText),
                  false,
                  lambda)
              .add(dualWay(network, store, hImage, hText, true, lambda));
      terms.put("adversarial", adversarial.mul(config.wAdversarial()));
    }

    NDArray quantisation = HashLosses.quantisation(hImage).add(HashLosses.quantisation(hText));
    NDArray balance =
        HashLosses.balance(hImage)
            .add(HashLosses.balance(hText))
            .add(HashLosses.decorrelation(hImage))
            .add(HashLosses.decorrelation(hText));
    terms.put("quantisation", quantisation.mul(config.wQuantisation()));
    terms.put("balance", balance.mul(config.wBalance()));
    return terms;
  }

  /**
   * Image→text: the caption critic learns real captions (1) from images (0), and the images,
   * through reversed gradients, learn to pass as captions. Text→image: the same with roles swapped.
   * Each critic sees its own modality without a gradient into the encoders. Inputs are bounded
   * (unit features, tanh codes): an unbounded input lets the reversed gradient inflate it.
   */
  private static NDArray dualWay(
      ScahnNetwork network,
      ParameterStore store,
      NDArray image,
      NDArray text,
      boolean code,
      float lambda) {
    NDArray imageToText =
        ScahnLosses.bceWithLogits(network.textCritic(store, text.stopGradient(), code, true), 1f)
            .add(
                ScahnLosses.bceWithLogits(
                    network.textCritic(
                        store, ScahnLosses.reverseGradient(image, lambda), code, true),
                    0f));
    NDArray textToImage =
        ScahnLosses.bceWithLogits(network.imageCritic(store, image.stopGradient(), code, true), 1f)
            .add(
                ScahnLosses.bceWithLogits(
                    network.imageCritic(
                        store, ScahnLosses.reverseGradient(text, lambda), code, true),
                    0f));
    return imageToText.add(textToImage);
  }
}
