package app.tessera.engine.hashing.contrastive;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One hash head per modality: Linear(d, hidden) → ReLU → Dropout → Linear(hidden, K) → tanh. Input
 * {@code [images, texts]}, output {@code [h_images, h_texts]} in (-1, 1)^K; codes are their signs.
 */
final class HashHeads extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int bits;
  private final Block image;
  private final Block text;

  HashHeads(int bits, int hidden, float dropout) {
    super(VERSION);
    this.bits = bits;
    this.image = addChildBlock("image", head(bits, hidden, dropout));
    this.text = addChildBlock("text", head(bits, hidden, dropout));
  }

  private static Block head(int bits, int hidden, float dropout) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build())
        .add(Activation.reluBlock())
        .add(Dropout.builder().optRate(dropout).build())
        .add(Linear.builder().setUnits(bits).build())
        .add(Activation.tanhBlock());
  }

  Block image() {
    return image;
  }

  Block text() {
    return text;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList images = image.forward(store, new NDList(inputs.get(0)), training, params);
    NDList texts = text.forward(store, new NDList(inputs.get(1)), training, params);
    return new NDList(images.singletonOrThrow(), texts.singletonOrThrow());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {
      new Shape(inputShapes[0].get(0), bits), new Shape(inputShapes[1].get(0), bits)
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    image.initialize(manager, dataType, inputShapes[0]);
    text.initialize(manager, dataType, inputShapes[1]);
  }
}
