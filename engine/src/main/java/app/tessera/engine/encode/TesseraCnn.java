package app.tessera.engine.encode;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The architecture of Tessera's own image encoder: a small VGG-style convolutional network with
 * batch normalisation, global average pooling and a two-layer projection head into the text
 * encoder's feature space.
 *
 * <pre>
 * input 3×S×S, pixels scaled to [-1, 1]
 * conv3×3(w)  BN ReLU  maxpool2          S/2
 * conv3×3(2w) BN ReLU  maxpool2          S/4
 * conv3×3(4w) BN ReLU  conv3×3(4w) BN ReLU  maxpool2   S/8
 * conv3×3(8w) BN ReLU  conv3×3(8w) BN ReLU  global average pool   8w
 * linear(512) ReLU  linear(D)                                  D (L2-normalised by the encoder)
 * </pre>
 *
 * @param inputSize the square side S the network reads (a multiple of 8)
 * @param width the channel width w of the first stage
 * @param dimension the output dimension D (the text encoder's)
 */
public record TesseraCnn(int inputSize, int width, int dimension) {
  /** Bumped whenever the layer layout changes: part of every model id. */
  public static final int VERSION = 1;

  static final int HIDDEN = 512;

  /**
   * Blocks of {@link #newBlock()} after the last feature map (global pool, flatten, linear, ReLU,
   * linear): the region tokens are read just before them.
   */
  static final int HEAD_LAYERS = 5;

  public TesseraCnn {
    if (inputSize < 16 || inputSize % 8 != 0) {
      throw new IllegalArgumentException(
          "input size must be a multiple of 8 and at least 16, got " + inputSize);
    }
    if (width < 4 || dimension < 1) {
      throw new IllegalArgumentException("width must be >= 4 and dimension >= 1");
    }
  }

  /** A fresh, uninitialised block of this architecture. */
  public Block newBlock() {
    SequentialBlock net = new SequentialBlock();
    convBnRelu(net, width);
    net.add(Pool.maxPool2dBlock(new Shape(2, 2)));
    convBnRelu(net, 2 * width);
    net.add(Pool.maxPool2dBlock(new Shape(2, 2)));
    convBnRelu(net, 4 * width);
    convBnRelu(net, 4 * width);
    net.add(Pool.maxPool2dBlock(new Shape(2, 2)));
    convBnRelu(net, 8 * width);
    convBnRelu(net, 8 * width);
    net.add(Pool.globalAvgPool2dBlock());
    net.add(Blocks.batchFlattenBlock());
    net.add(Linear.builder().setUnits(HIDDEN).build());
    net.add(Activation.reluBlock());
    net.add(Linear.builder().setUnits(dimension).build());
    return net;
  }

  /** The input shape of a batch of {@code n} images. */
  public Shape inputShape(int n) {
    return new Shape(n, 3, inputSize, inputSize);
  }

  private static void convBnRelu(SequentialBlock net, int filters) {
    net.add(
        Conv2d.builder()
            .setKernelShape(new Shape(3, 3))
            .optPadding(new Shape(1, 1))
            .setFilters(filters)
            .optBias(false) // batch norm's shift makes a conv bias redundant
            .build());
    net.add(BatchNorm.builder().build());
    net.add(Activation.reluBlock());
  }

  /** Pixel value (0..255) to network input: [-1, 1]. */
  static float normalise(int pixel) {
    return pixel * (2f / 255f) - 1f;
  }
}
