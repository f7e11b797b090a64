package app.tessera.engine.hashing.bilgseh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import app.tessera.engine.hashing.HashLosses;

/**
 * BiLGSEH phase 2: the label-free hash functions used at query time, one per modality. Inputs
 * {@code (images, texts)}, outputs {@code (h_img, h_txt)} in (-1, 1); each function is
 *
 * <pre>
 *   l2norm(x) → Linear(d → 256) → ReLU → Dropout(0.3) → Linear(256 → K) → tanh
 * </pre>
 */
final class HashFunctions extends AbstractBlock {
  private static final byte VERSION = 1;

  private final HashFunction image;
  private final HashFunction text;

  HashFunctions(int bits) {
    super(VERSION);
    image = addChildBlock("image", new HashFunction(bits));
    text = addChildBlock("text", new HashFunction(bits));
  }

  HashFunction image() {
    return image;
  }

  HashFunction text() {
    return text;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(
        image.forward(store, new NDList(inputs.get(0)), training).head(),
        text.forward(store, new NDList(inputs.get(1)), training).head());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {
      image.getOutputShapes(new Shape[] {inputShapes[0]})[0],
      text.getOutputShapes(new Shape[] {inputShapes[1]})[0]
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    image.initialize(manager, dataType, inputShapes[0]);
    text.initialize(manager, dataType, inputShapes[1]);
  }

  /** One modality's hash function. */
  static final class HashFunction extends AbstractBlock {
    private final int bits;
    private final Linear hidden;
    private final Dropout dropout;
    private final Linear out;

    HashFunction(int bits) {
      super(VERSION);
      this.bits = bits;
      hidden =
          addChildBlock("hidden", Linear.builder().setUnits(BilgsehConfig.HASH_HIDDEN).build());
      dropout =
          addChildBlock("dropout", Dropout.builder().optRate(BilgsehConfig.HASH_DROPOUT).build());
      out = addChildBlock("out", Linear.builder().setUnits(bits).build());
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = HashLosses.normalizeRows(inputs.head());
      NDArray h = Activation.relu(hidden.forward(store, new NDList(x), training).head());
      h = dropout.forward(store, new NDList(h), training).head();
      return new NDList(out.forward(store, new NDList(h), training).head().tanh());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {new Shape(inputShapes[0].get(0), bits)};
    }

    @Override
    protected void initializeChildBlocks(
        NDManager manager, DataType dataType, Shape... inputShapes) {
      hidden.initialize(manager, dataType, inputShapes[0]);
      Shape h = new Shape(inputShapes[0].get(0), BilgsehConfig.HASH_HIDDEN);
      dropout.initialize(manager, dataType, h);
      out.initialize(manager, dataType, h);
    }
  }
}
