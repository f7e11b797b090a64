package app.tessera.engine.hashing.bilgseh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Label-guided attention: the item's labels ask questions of its feature.
 *
 * <p>Inputs {@code (x, labels)}: a feature batch {@code x} (B x d) and multi-hot labels (B x C).
 * Output: B x {@code outDim}.
 *
 * <ol>
 *   <li><b>Feature tokens.</b> One linear map turns {@code x} into T tokens of width {@code
 *       tokenDim} (B x T x tokenDim): T learned views of the whole feature, so the input width d is
 *       free and no position embedding is needed.
 *   <li><b>Label queries.</b> Each of the C labels has a learned embedding {@code E_c} (tokenDim),
 *       used as the query; keys and values are linear maps of the tokens. Multi-head scaled
 *       dot-product attention ({@code heads} heads) gives, for every label c, a summary {@code a_c}
 *       of the tokens that label attends to (B x C x tokenDim). With the {@code labelResidual} on,
 *       the label's own embedding is added: {@code a_c + E_c}.
 *   <li><b>Gating by the item's labels.</b> The per-label summaries are averaged over the labels
 *       the item has (uniformly over all C when it has none), then projected to {@code outDim}.
 * </ol>
 *
 * Labels therefore change the output twice over: they pick which queries' attention patterns are
 * kept, and (with the residual) they add their own embeddings. With one token (T = 1) softmax is
 * identically 1, every query reads the single value, and the block reduces to the reference code's
 * degenerate form {@code output(value(tokens(x)))}: labels have no effect. That is the {@code
 * attention=degenerate} ablation (T = 1, no residual).
 */
public final class LabelGuidedAttention extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int tokens;
  private final int tokenDim;
  private final int heads;
  private final int outDim;
  private final boolean labelResidual;
  private final Linear tokenizer;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final Parameter labelEmbeddings;

  /**
   * @param labels number of labels C
   * @param tokens number of feature tokens T
   * @param tokenDim width of a token (divisible by {@code heads})
   * @param heads attention heads
   * @param outDim output width
   * @param labelResidual whether each label query adds its own embedding to what it read
   */
  public LabelGuidedAttention(
      int labels, int tokens, int tokenDim, int heads, int outDim, boolean labelResidual) {
    super(VERSION);
    if (tokenDim % heads != 0) {
      throw new IllegalArgumentException(heads + " heads do not divide token width " + tokenDim);
    }
    this.tokens = tokens;
    this.tokenDim = tokenDim;
    this.heads = heads;
    this.outDim = outDim;
    this.labelResidual = labelResidual;
    tokenizer =
        addChildBlock("tokenizer", Linear.builder().setUnits((long) tokens * tokenDim).build());
    key = addChildBlock("key", Linear.builder().setUnits(tokenDim).build());
    value = addChildBlock("value", Linear.builder().setUnits(tokenDim).build());
    output = addChildBlock("output", Linear.builder().setUnits(outDim).build());
    labelEmbeddings =
        addParameter(
            Parameter.builder()
                .setName("labelEmbeddings")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(labels, tokenDim))
                .optInitializer(new NormalInitializer(0.05f))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray labels = inputs.get(1);
    long batch = x.getShape().get(0);
    long classes = labels.getShape().get(1);
    long headDim = tokenDim / heads;

    NDArray flatTokens =
        tokenizer.forward(store, new NDList(x), training).head().reshape(batch * tokens, tokenDim);
    NDArray keys = splitHeads(key.forward(store, new NDList(flatTokens), training).head(), batch);
    NDArray values =
        splitHeads(value.forward(store, new NDList(flatTokens), training).head(), batch);

    // The embeddings enter the graph through a batch-scoped array, so that every intermediate
    // is freed with the batch (PyTorch results belong to their first operand's manager).
    NDArray embeddings =
        x.getManager()
            .zeros(new Shape(classes, tokenDim), x.getDataType(), x.getDevice())
            .add(store.getValue(labelEmbeddings, x.getDevice(), training));
    NDArray queries = embeddings.reshape(classes, heads, headDim).transpose(1, 0, 2).expandDims(0);
    NDArray scores =
        queries.matMul(keys.transpose(0, 1, 3, 2)).div((float) Math.sqrt(headDim)); // B,h,C,T
    NDArray read =
        scores.softmax(-1).matMul(values).transpose(0, 2, 1, 3).reshape(batch, classes, tokenDim);
    if (labelResidual) {
      read = read.add(embeddings);
    }
    NDArray pooled = labelWeights(labels).expandDims(1).matMul(read).reshape(batch, tokenDim);
    return output.forward(store, new NDList(pooled), training);
  }

  /** (B*T) x tokenDim to B x heads x T x headDim. */
  private NDArray splitHeads(NDArray flat, long batch) {
    return flat.reshape(batch, tokens, heads, tokenDim / heads).transpose(0, 2, 1, 3);
  }

  /** Each row: 1/|labels| on the item's labels, or 1/C everywhere when it has none. */
  static NDArray labelWeights(NDArray labels) {
    long classes = labels.getShape().get(1);
    NDArray count = labels.sum(new int[] {1}, true);
    NDArray none = count.eq(0f).toType(labels.getDataType(), false);
    return labels.add(none).div(count.add(none.mul((float) classes)));
  }

  /** The single-token ("V") path, {@code output(value(tokenizer(x)))}, for tests. */
  NDArray valuePath(ParameterStore store, NDArray x) {
    NDArray t = tokenizer.forward(store, new NDList(x), false).head();
    NDArray v = value.forward(store, new NDList(t), false).head();
    return output.forward(store, new NDList(v), false).head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outDim)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    tokenizer.initialize(manager, dataType, inputShapes[0]);
    Shape token = new Shape(1, tokenDim);
    key.initialize(manager, dataType, token);
    value.initialize(manager, dataType, token);
    output.initialize(manager, dataType, token);
  }
}
