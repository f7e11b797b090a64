package app.tessera.engine.encode;

import java.util.Optional;

/**
 * Token-level features: the regions of an image or the words of a caption, each a vector, for
 * methods that attend over parts of an item (SCAHN). An item's tokens are one row of {@code count x
 * dim} floats (token-major); a caption with fewer words than {@code count} is padded with all-zero
 * tokens, which readers treat as masked. Values are rounded to half precision, so the caches store
 * them in two bytes each ({@link #toHalf}).
 *
 * @param count tokens per item
 * @param dim values per token
 */
public record Tokens(int count, int dim) {
  public Tokens {
    if (count < 1 || dim < 1) {
      throw new IllegalArgumentException("tokens need a count and a width >= 1");
    }
  }

  /**
   * The token shape an encoder declares ({@code tokens}, from its {@code tokens()}).
   *
   * @throws IllegalArgumentException naming the encoder when it has none
   */
  public static Tokens required(Optional<Tokens> tokens, String encoderId) {
    return tokens.orElseThrow(
        () ->
            new IllegalArgumentException(
                encoderId + " has no token-level features, which this model or method needs"));
  }

  /** Values per item. */
  public int size() {
    return count * dim;
  }

  /** The cache id of an encoder's tokens: its own id, the token shape and the format. */
  public String cacheId(String encoderId) {
    return encoderId + "#tokens" + count + "x" + dim + "-f16";
  }

  /** Bytes per item in the feature caches (half precision). */
  public int bytesPerItem() {
    return 2 * size();
  }

  /** {@code values} rounded to the nearest half-precision number, in place; returns it. */
  public static float[] toHalf(float[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.float16ToFloat(Float.floatToFloat16(values[i]));
    }
    return values;
  }

  /**
   * Whether every value is exactly a half-precision number (so storing it in two bytes is
   * lossless).
   */
  public static boolean isHalf(float[] values) {
    for (float v : values) {
      if (Float.float16ToFloat(Float.floatToFloat16(v)) != v && !Float.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Average-pools a feature map (channels x height x width, one item, row-major) onto a {@code grid
   * x grid} array of region tokens (token-major: row by row, each token {@code channels} wide).
   * Bins follow adaptive average pooling: region i covers rows floor(i·h/g) to ceil((i+1)·h/g).
   */
  public static float[] regions(float[] map, int offset, int channels, int h, int w, int grid) {
    float[] out = new float[grid * grid * channels];
    for (int gy = 0; gy < grid; gy++) {
      int y0 = gy * h / grid;
      int y1 = ((gy + 1) * h + grid - 1) / grid;
      for (int gx = 0; gx < grid; gx++) {
        int x0 = gx * w / grid;
        int x1 = ((gx + 1) * w + grid - 1) / grid;
        float inv = 1f / ((y1 - y0) * (x1 - x0));
        int token = (gy * grid + gx) * channels;
        for (int c = 0; c < channels; c++) {
          float sum = 0;
          int base = offset + c * h * w;
          for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
              sum += map[base + y * w + x];
            }
          }
          out[token + c] = sum * inv;
        }
      }
    }
    return out;
  }
}
