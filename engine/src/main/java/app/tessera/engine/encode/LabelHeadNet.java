package app.tessera.engine.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The image encoder with a training-only multi-label classifier on its unit embedding: outputs the
 * encoder's embedding and the label logits. Only the encoder is kept after training, so the labels
 * shape the embedding space without changing what is shipped.
 */
final class LabelHeadNet extends AbstractBlock {
  private final Block encoder;
  private final Block classifier;
  private final float scale;

  /**
   * @param scale multiplies the unit embedding before the classifier, as InfoNCE divides cosines by
   *     its temperature: without it, logits of unit vectors stay small and the label term's
   *     gradient is drowned by the caption term's
   */
  LabelHeadNet(Block encoder, int labels, float scale) {
    this.scale = scale;
    this.encoder = addChildBlock("encoder", encoder);
    this.classifier = addChildBlock("labels", Linear.builder().setUnits(labels).build());
  }

  Block encoder() {
    return encoder;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray embedding = encoder.forward(store, inputs, training, params).singletonOrThrow();
    NDArray unit = embedding.div(embedding.norm(new int[] {1}, true).add(1e-8f)).mul(scale);
    NDArray logits =
        classifier.forward(store, new NDList(unit), training, params).singletonOrThrow();
    return new NDList(embedding, logits);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] embedding = encoder.getOutputShapes(inputShapes);
    return new Shape[] {embedding[0], classifier.getOutputShapes(embedding)[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    classifier.initialize(manager, dataType, encoder.getOutputShapes(inputShapes));
  }
}
