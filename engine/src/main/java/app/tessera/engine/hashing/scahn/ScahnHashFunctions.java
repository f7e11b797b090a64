package app.tessera.engine.hashing.scahn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * What a trained SCAHN model keeps: both modalities' {@linkplain ModalityEncoder feature networks}
 * and the hash layer, {@code h = tanh(Linear_K(z))}, one Linear shared by both modalities so their
 * codes live in one space. Inputs {@code (image x, image tokens, text x, text tokens)}, outputs
 * {@code (h_image, h_text)}, each B x K in (−1, 1). Each modality is coded on its own.
 */
final class ScahnHashFunctions extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int bits;
  private final int hidden;
  private final ModalityEncoder image;
  private final ModalityEncoder text;
  private final Linear hash;

  ScahnHashFunctions(int bits, ScahnConfig config) {
    super(VERSION);
    this.bits = bits;
    this.hidden = config.hidden();
    image = addChildBlock("image", new ModalityEncoder(config));
    text = addChildBlock("text", new ModalityEncoder(config));
    hash = addChildBlock("hash", Linear.builder().setUnits(bits).build());
  }

  ModalityEncoder image() {
    return image;
  }

  ModalityEncoder text() {
    return text;
  }

  /** The codes' real values of features z: tanh(Linear_K(z)). */
  NDArray hash(ParameterStore store, NDArray z, boolean training) {
    return hash.forward(store, new NDList(z), training).head().tanh();
  }

  /** The real-valued code of one modality's items from their own features and tokens. */
  NDArray code(
      ParameterStore store, ModalityEncoder encoder, NDArray x, NDArray tokens, boolean training) {
    NDArray z = encoder.forward(store, new NDList(x, tokens), training).head();
    return hash(store, z, training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(
        code(store, image, inputs.get(0), inputs.get(1), training),
        code(store, text, inputs.get(2), inputs.get(3), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {
      new Shape(inputShapes[0].get(0), bits), new Shape(inputShapes[2].get(0), bits)
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    image.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
    text.initialize(manager, dataType, inputShapes[2], inputShapes[3]);
    hash.initialize(manager, dataType, new Shape(inputShapes[0].get(0), hidden));
  }
}
