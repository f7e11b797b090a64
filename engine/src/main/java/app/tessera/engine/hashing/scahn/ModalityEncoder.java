package app.tessera.engine.hashing.scahn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import app.tessera.engine.hashing.HashLosses;

/**
 * One modality's feature network, used at query time: it reads only the item's own pooled feature
 * and own tokens. Inputs {@code (x, tokens)}: pooled features B x d and tokens B x T x t (zero
 * tokens are padding). Outputs {@code (z, P, s)}:
 *
 * <pre>
 *   P_t = l2norm(Linear_A(token_t))                         projected tokens, B x T x A
 *   g   = Linear_A(l2norm(x))                               the item's global context
 *   s   = masked softmax_t( v · tanh(W P_t + U g) )         saliency over its own tokens, B x T
 *   a   = Σ_t s_t P_t                                       saliency-weighted feature, B x A
 *   z   = Linear_D(Dropout(ReLU(BN(Linear_D([l2norm(x), a])))))                          B x D
 * </pre>
 *
 * Training also feeds a cross-media summary c in place of a ({@link #fuse}), so the same fusion
 * learns from what the other modality points at. Without attention (ablated) the encoder reads x
 * alone: {@code z = MLP(l2norm(x))}, and outputs only z.
 */
final class ModalityEncoder extends AbstractBlock {
  private static final byte VERSION = 1;

  private final boolean attention;
  private final int attentionDim;
  private final int hidden;
  private final Linear tokenProjection;
  private final Linear context;
  private final Linear tokenScore;
  private final Linear saliency;
  private final Linear fusion;
  private final BatchNorm fusionNorm;
  private final Dropout dropout;
  private final Linear output;

  ModalityEncoder(ScahnConfig config) {
    super(VERSION);
    attention = config.uses(ScahnConfig.Component.ATTENTION);
    attentionDim = config.attentionDim();
    hidden = config.hidden();
    if (attention) {
      tokenProjection = addChildBlock("tokens", Linear.builder().setUnits(attentionDim).build());
      context = addChildBlock("context", Linear.builder().setUnits(attentionDim).build());
      tokenScore = addChildBlock("tokenScore", Linear.builder().setUnits(attentionDim).build());
      saliency = addChildBlock("saliency", Linear.builder().setUnits(1).optBias(false).build());
    } else {
      tokenProjection = null;
      context = null;
      tokenScore = null;
      saliency = null;
    }
    fusion = addChildBlock("fusion", Linear.builder().setUnits(hidden).build());
    fusionNorm = addChildBlock("fusionNorm", BatchNorm.builder().build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
    output = addChildBlock("output", Linear.builder().setUnits(hidden).build());
  }

  boolean attends() {
    return attention;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = HashLosses.normalizeRows(inputs.get(0));
    if (!attention) {
      return new NDList(fuse(store, x, null, training));
    }
    NDArray tokens = inputs.get(1);
    long batch = tokens.getShape().get(0);
    long count = tokens.getShape().get(1);
    long width = tokens.getShape().get(2);
    NDArray projected =
        tokenProjection
            .forward(store, new NDList(tokens.reshape(batch * count, width)), training)
            .head();
    NDArray p = HashLosses.normalizeRows(projected).reshape(batch, count, attentionDim);
    NDArray g = context.forward(store, new NDList(x), training).head().expandDims(1);
    NDArray e =
        tokenScore
            .forward(store, new NDList(p.reshape(batch * count, attentionDim)), training)
            .head()
            .reshape(batch, count, attentionDim)
            .add(g)
            .tanh();
    NDArray scores =
        saliency
            .forward(store, new NDList(e.reshape(batch * count, attentionDim)), training)
            .head()
            .reshape(batch, count);
    NDArray s = maskedSoftmax(scores, mask(tokens));
    NDArray a = pool(s, p);
    return new NDList(fuse(store, x, a, training), p, s);
  }

  /**
   * z from the unit pooled feature {@code x} and a token summary {@code a} (null: no attention).
   */
  NDArray fuse(ParameterStore store, NDArray x, NDArray a, boolean training) {
    NDArray in = a == null ? x : x.concat(a, 1);
    NDArray h = fusion.forward(store, new NDList(in), training).head();
    h = Activation.relu(fusionNorm.forward(store, new NDList(h), training).head());
    h = dropout.forward(store, new NDList(h), training).head();
    return output.forward(store, new NDList(h), training).head();
  }

  /** 1 for real tokens, 0 for padding (all-zero) tokens: B x T. */
  static NDArray mask(NDArray tokens) {
    return tokens.abs().sum(new int[] {2}).gt(0f).toType(tokens.getDataType(), false);
  }

  /** Softmax over the last axis where {@code mask} is 1 (an all-padding row stays finite). */
  static NDArray maskedSoftmax(NDArray scores, NDArray mask) {
    return scores.add(mask.sub(1f).mul(1e4f)).softmax(-1);
  }

  /** Σ_t w_t P_t for weights B x T and tokens B x T x A: B x A. */
  static NDArray pool(NDArray weights, NDArray tokens) {
    long batch = tokens.getShape().get(0);
    return weights.expandDims(1).matMul(tokens).reshape(batch, tokens.getShape().get(2));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    Shape z = new Shape(batch, hidden);
    if (!attention) {
      return new Shape[] {z};
    }
    long count = inputShapes[1].get(1);
    return new Shape[] {z, new Shape(batch, count, attentionDim), new Shape(batch, count)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    long fused = inputShapes[0].get(1);
    if (attention) {
      tokenProjection.initialize(manager, dataType, new Shape(batch, inputShapes[1].get(2)));
      Shape a = new Shape(batch, attentionDim);
      context.initialize(manager, dataType, inputShapes[0]);
      tokenScore.initialize(manager, dataType, a);
      saliency.initialize(manager, dataType, a);
      fused += attentionDim;
    }
    fusion.initialize(manager, dataType, new Shape(batch, fused));
    Shape h = new Shape(batch, hidden);
    fusionNorm.initialize(manager, dataType, h);
    dropout.initialize(manager, dataType, h);
    output.initialize(manager, dataType, h);
  }
}
