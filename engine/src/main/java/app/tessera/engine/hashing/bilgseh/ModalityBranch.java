package app.tessera.engine.hashing.bilgseh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One modality's label-guided semantic fusion (phase 1). Inputs {@code (x, labels)}, output {@code
 * u} (B x {@link BilgsehConfig#HIDDEN}):
 *
 * <pre>
 *   coarse    = ReLU(BN(Linear(x)))
 *   attended  = ReLU(BN(Linear(LabelGuidedAttention(x, labels))))
 *   u         = Linear([coarse, attended])
 * </pre>
 */
final class ModalityBranch extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final int HIDDEN = BilgsehConfig.HIDDEN;

  private final Linear coarse;
  private final BatchNorm coarseNorm;
  private final LabelGuidedAttention attention;
  private final Linear attendedDense;
  private final BatchNorm attendedNorm;
  private final Linear fusion;

  ModalityBranch(int labels, BilgsehConfig config) {
    super(VERSION);
    boolean label = config.attention() == BilgsehConfig.AttentionMode.LABEL;
    coarse = addChildBlock("coarse", Linear.builder().setUnits(HIDDEN).build());
    coarseNorm = addChildBlock("coarseNorm", BatchNorm.builder().build());
    attention =
        addChildBlock(
            "attention",
            new LabelGuidedAttention(
                labels,
                config.tokens(),
                label ? BilgsehConfig.TOKEN_DIM : HIDDEN,
                config.heads(),
                HIDDEN,
                label));
    attendedDense = addChildBlock("attendedDense", Linear.builder().setUnits(HIDDEN).build());
    attendedNorm = addChildBlock("attendedNorm", BatchNorm.builder().build());
    fusion = addChildBlock("fusion", Linear.builder().setUnits(HIDDEN).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray c = coarse.forward(store, new NDList(x), training).head();
    c = Activation.relu(coarseNorm.forward(store, new NDList(c), training).head());
    NDArray a = attention.forward(store, inputs, training).head();
    a = attendedDense.forward(store, new NDList(a), training).head();
    a = Activation.relu(attendedNorm.forward(store, new NDList(a), training).head());
    return fusion.forward(store, new NDList(c.concat(a, 1)), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), HIDDEN)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = new Shape(inputShapes[0].get(0), HIDDEN);
    coarse.initialize(manager, dataType, inputShapes[0]);
    coarseNorm.initialize(manager, dataType, hidden);
    attention.initialize(manager, dataType, inputShapes);
    attendedDense.initialize(manager, dataType, hidden);
    attendedNorm.initialize(manager, dataType, hidden);
    fusion.initialize(manager, dataType, new Shape(inputShapes[0].get(0), 2L * HIDDEN));
  }
}
