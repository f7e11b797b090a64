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
import app.tessera.engine.hashing.HashLosses;

/**
 * BiLGSEH phase 1, the code-learning network (sees features, labels and the label similarity).
 * Inputs {@code (images B x di, texts B x dt, labels B x C, S B x B)}; outputs {@code (H_img,
 * H_txt)}, each B x K, real-valued (no tanh).
 *
 * <pre>
 *   u_m = ModalityBranch_m(x_m, labels)                         per modality
 *   V   = [l2norm(u_img); l2norm(u_txt)]                          2B nodes
 *   A   = [[S, I], [I, S]]                                        signed, not normalised
 *   G   = BN(A · Linear(V));  J = ReLU(G_img + G_txt)             relation graph
 *   H_m = BN_m(Linear([J, u_m]))                                  one Linear, a BN per modality
 * </pre>
 */
final class CodeLearningNetwork extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final int HIDDEN = BilgsehConfig.HIDDEN;

  private final ModalityBranch imageBranch;
  private final ModalityBranch textBranch;
  private final Linear graphLinear;
  private final BatchNorm graphNorm;
  private final Linear hashLinear;
  private final BatchNorm imageHashNorm;
  private final BatchNorm textHashNorm;
  private final int bits;

  CodeLearningNetwork(int labels, int bits, BilgsehConfig config) {
    super(VERSION);
    this.bits = bits;
    imageBranch = addChildBlock("imageBranch", new ModalityBranch(labels, config));
    textBranch = addChildBlock("textBranch", new ModalityBranch(labels, config));
    graphLinear = addChildBlock("graphLinear", Linear.builder().setUnits(HIDDEN).build());
    graphNorm = addChildBlock("graphNorm", BatchNorm.builder().build());
    hashLinear = addChildBlock("hashLinear", Linear.builder().setUnits(bits).build());
    imageHashNorm = addChildBlock("imageHashNorm", BatchNorm.builder().build());
    textHashNorm = addChildBlock("textHashNorm", BatchNorm.builder().build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images = inputs.get(0);
    NDArray texts = inputs.get(1);
    NDArray labels = inputs.get(2);
    NDArray similarity = inputs.get(3);
    int batch = (int) images.getShape().get(0);

    NDArray uImage = imageBranch.forward(store, new NDList(images, labels), training).head();
    NDArray uText = textBranch.forward(store, new NDList(texts, labels), training).head();

    NDArray nodes = HashLosses.normalizeRows(uImage).concat(HashLosses.normalizeRows(uText), 0);
    NDArray eye = similarity.getManager().eye(batch, batch, 0, similarity.getDataType());
    NDArray adjacency = similarity.concat(eye, 1).concat(eye.concat(similarity, 1), 0); // 2B x 2B
    NDArray transformed = graphLinear.forward(store, new NDList(nodes), training).head();
    NDArray graph =
        graphNorm.forward(store, new NDList(adjacency.matMul(transformed)), training).head();
    NDList halves = graph.split(2, 0);
    NDArray joint = Activation.relu(halves.get(0).add(halves.get(1)));

    NDArray hImage =
        hashLinear.forward(store, new NDList(joint.concat(uImage, 1)), training).head();
    NDArray hText = hashLinear.forward(store, new NDList(joint.concat(uText, 1)), training).head();
    hImage = imageHashNorm.forward(store, new NDList(hImage), training).head();
    hText = textHashNorm.forward(store, new NDList(hText), training).head();
    return new NDList(hImage, hText);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape out = new Shape(inputShapes[0].get(0), bits);
    return new Shape[] {out, out};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    imageBranch.initialize(manager, dataType, inputShapes[0], inputShapes[2]);
    textBranch.initialize(manager, dataType, inputShapes[1], inputShapes[2]);
    Shape hidden = new Shape(batch, HIDDEN);
    graphLinear.initialize(manager, dataType, hidden);
    graphNorm.initialize(manager, dataType, hidden);
    hashLinear.initialize(manager, dataType, new Shape(batch, 2L * HIDDEN));
    Shape code = new Shape(batch, bits);
    imageHashNorm.initialize(manager, dataType, code);
    textHashNorm.initialize(manager, dataType, code);
  }
}
