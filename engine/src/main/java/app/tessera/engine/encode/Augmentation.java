package app.tessera.engine.encode;

import java.util.random.RandomGenerator;

/**
 * Training-time augmentation for small icon-like images such as emoji: a random similarity
 * transform (scale, small rotation, shift; uncovered pixels are white, like the backgrounds) and
 * colour jitter (brightness, contrast, saturation, sometimes greyscale, so that colour and line-art
 * styles of one concept meet). No flips: mirrored arrows and hands mean something else.
 */
final class Augmentation {
  private final int size;
  private final float[] scratch;

  Augmentation(int size) {
    this.size = size;
    this.scratch = new float[3 * size * size];
  }

  /**
   * Writes an augmented, normalised ([-1, 1]) copy of {@code planar} (CHW bytes) into {@code out}
   * at {@code offset}.
   */
  void apply(byte[] planar, RandomGenerator random, float[] out, int offset) {
    int plane = size * size;
    double scale = 0.8 + 0.25 * random.nextDouble();
    double angle = Math.toRadians(-10 + 20 * random.nextDouble());
    double shiftX = (random.nextDouble() - 0.5) * 0.2 * size;
    double shiftY = (random.nextDouble() - 0.5) * 0.2 * size;
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    double centre = (size - 1) / 2.0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        // Inverse map: output pixel -> source coordinates.
        double dx = x - centre - shiftX;
        double dy = y - centre - shiftY;
        double sx = cos * dx + sin * dy + centre;
        double sy = -sin * dx + cos * dy + centre;
        int i = y * size + x;
        for (int c = 0; c < 3; c++) {
          scratch[c * plane + i] = bilinear(planar, c * plane, sx, sy);
        }
      }
    }
    float brightness = (float) ((random.nextDouble() - 0.5) * 0.2);
    float contrast = (float) (0.8 + 0.4 * random.nextDouble());
    float saturation = random.nextDouble() < 0.2 ? 0f : (float) (0.6 + 0.8 * random.nextDouble());
    for (int i = 0; i < plane; i++) {
      float r = scratch[i];
      float g = scratch[plane + i];
      float b = scratch[2 * plane + i];
      float grey = 0.299f * r + 0.587f * g + 0.114f * b;
      out[offset + i] = jitter(grey + saturation * (r - grey), contrast, brightness);
      out[offset + plane + i] = jitter(grey + saturation * (g - grey), contrast, brightness);
      out[offset + 2 * plane + i] = jitter(grey + saturation * (b - grey), contrast, brightness);
    }
  }

  /** Colour in [0, 1] to network input in [-1, 1] after contrast and brightness. */
  private static float jitter(float v, float contrast, float brightness) {
    float j = (v - 0.5f) * contrast + 0.5f + brightness;
    j = Math.max(0f, Math.min(1f, j));
    return 2f * j - 1f;
  }

  /** Bilinear sample in [0, 1]; outside the image is white. */
  private float bilinear(byte[] planar, int base, double sx, double sy) {
    int x0 = (int) Math.floor(sx);
    int y0 = (int) Math.floor(sy);
    double fx = sx - x0;
    double fy = sy - y0;
    double v00 = pixel(planar, base, x0, y0);
    double v10 = pixel(planar, base, x0 + 1, y0);
    double v01 = pixel(planar, base, x0, y0 + 1);
    double v11 = pixel(planar, base, x0 + 1, y0 + 1);
    double top = v00 + (v10 - v00) * fx;
    double bottom = v01 + (v11 - v01) * fx;
    return (float) ((top + (bottom - top) * fy) / 255.0);
  }

  private int pixel(byte[] planar, int base, int x, int y) {
    if (x < 0 || y < 0 || x >= size || y >= size) {
      return 255;
    }
    return planar[base + y * size + x] & 0xff;
  }
}
