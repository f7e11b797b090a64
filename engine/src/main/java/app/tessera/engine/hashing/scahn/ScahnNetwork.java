package app.tessera.engine.hashing.scahn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The whole SCAHN training network: the query-time {@linkplain ScahnHashFunctions hash functions}
 * plus what only training uses (Tessera's design; the paper publishes none of it):
 *
 * <ul>
 *   <li><b>Label GCN</b> (component {@code graph}): two graph convolutions over the label graph Â
 *       ({@link LabelGraph}), {@code W = Â · LeakyReLU(Â E W1) W2} (C x D), turn the label node
 *       embeddings E into one classifier per label, applied to both modalities' features z. With
 *       the graph ablated the C classifiers are free parameters.
 *   <li><b>Modality discriminators</b> (component {@code adversarial}), one per direction and
 *       level: "is this a caption?" and "is this an image?" for features z and for codes h, each
 *       Linear(256) → LeakyReLU(0.2) → Linear(1) (logits).
 * </ul>
 *
 * {@link #forwardInternal} gives the codes only (as at query time); training calls the parts.
 */
final class ScahnNetwork extends AbstractBlock {
  private static final byte VERSION = 1;

  private final ScahnHashFunctions functions;
  private final Linear gcnFirst;
  private final Linear gcnSecond;
  private final Parameter freeClassifiers;
  private final Block textFeatureCritic;
  private final Block imageFeatureCritic;
  private final Block textCodeCritic;
  private final Block imageCodeCritic;
  private final int labels;
  private final int hidden;
  private final int bits;

  ScahnNetwork(int labels, int bits, ScahnConfig config) {
    super(VERSION);
    this.labels = labels;
    this.hidden = config.hidden();
    this.bits = bits;
    functions = addChildBlock("functions", new ScahnHashFunctions(bits, config));
    if (config.uses(ScahnConfig.Component.GRAPH)) {
      gcnFirst =
          addChildBlock(
              "gcnFirst", Linear.builder().setUnits(config.gcnHidden()).optBias(false).build());
      gcnSecond =
          addChildBlock("gcnSecond", Linear.builder().setUnits(hidden).optBias(false).build());
      freeClassifiers = null;
    } else {
      gcnFirst = null;
      gcnSecond = null;
      freeClassifiers =
          addParameter(
              Parameter.builder()
                  .setName("classifiers")
                  .setType(Parameter.Type.WEIGHT)
                  .optShape(new Shape(labels, hidden))
                  .optInitializer(new NormalInitializer(0.05f))
                  .build());
    }
    boolean adversarial = config.uses(ScahnConfig.Component.ADVERSARIAL);
    textFeatureCritic = adversarial ? addChildBlock("textFeatureCritic", critic()) : null;
    imageFeatureCritic = adversarial ? addChildBlock("imageFeatureCritic", critic()) : null;
    textCodeCritic = adversarial ? addChildBlock("textCodeCritic", critic()) : null;
    imageCodeCritic = adversarial ? addChildBlock("imageCodeCritic", critic()) : null;
  }

  private static Block critic() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(ScahnConfig.DISCRIMINATOR_HIDDEN).build())
        .add(x -> new NDList(Activation.leakyRelu(x.singletonOrThrow(), 0.2f)))
        .add(Linear.builder().setUnits(1).build());
  }

  ScahnHashFunctions functions() {
    return functions;
  }

  /**
   * The per-label classifiers (C x D): the GCN's output over {@code embeddings} (C x e) and {@code
   * adjacency} (Â, C x C), or the free classifiers when the graph is ablated.
   */
  NDArray classifiers(
      ParameterStore store, NDArray embeddings, NDArray adjacency, boolean training) {
    if (gcnFirst == null) {
      // Enter the graph through a batch-scoped array, so intermediates die with the batch.
      return embeddings
          .getManager()
          .zeros(new Shape(labels, hidden))
          .add(store.getValue(freeClassifiers, embeddings.getDevice(), training));
    }
    NDArray h = gcnFirst.forward(store, new NDList(adjacency.matMul(embeddings)), training).head();
    h = Activation.leakyRelu(h, 0.2f);
    return gcnSecond.forward(store, new NDList(adjacency.matMul(h)), training).head();
  }

  /** Critic logits (B x 1) for features z ({@code code} false) or codes h, "is it a caption?". */
  NDArray textCritic(ParameterStore store, NDArray x, boolean code, boolean training) {
    return (code ? textCodeCritic : textFeatureCritic)
        .forward(store, new NDList(x), training)
        .head();
  }

  /** Critic logits (B x 1): "is it an image?". */
  NDArray imageCritic(ParameterStore store, NDArray x, boolean code, boolean training) {
    return (code ? imageCodeCritic : imageFeatureCritic)
        .forward(store, new NDList(x), training)
        .head();
  }

  /** Inputs: image x, image tokens, text x, text tokens (as the hash functions). */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return functions.forward(store, inputs, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return functions.getOutputShapes(inputShapes);
  }

  /**
   * Shapes: image x, image tokens, text x, text tokens, label embeddings (C x e); the last is only
   * for the GCN.
   */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    functions.initialize(
        manager, dataType, inputShapes[0], inputShapes[1], inputShapes[2], inputShapes[3]);
    if (gcnFirst != null) {
      gcnFirst.initialize(manager, dataType, inputShapes[4]);
      gcnSecond.initialize(
          manager,
          dataType,
          new Shape(labels, gcnFirst.getOutputShapes(new Shape[] {inputShapes[4]})[0].get(1)));
    }
    if (textFeatureCritic != null) {
      Shape z = new Shape(inputShapes[0].get(0), hidden);
      Shape h = new Shape(inputShapes[0].get(0), bits);
      textFeatureCritic.initialize(manager, dataType, z);
      imageFeatureCritic.initialize(manager, dataType, z);
      textCodeCritic.initialize(manager, dataType, h);
      imageCodeCritic.initialize(manager, dataType, h);
    }
  }
}
