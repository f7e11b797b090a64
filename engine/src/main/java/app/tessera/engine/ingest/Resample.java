package app.tessera.engine.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Scaling, flattening and orienting of decoded images (always to opaque sRGB {@code INT_RGB}). */
final class Resample {
  private Resample() {}

  /**
   * Draws {@code src} onto white at {@code width x height}: flattens alpha, converts palette, gray,
   * 16-bit and CMYK-converted rasters to 8-bit RGB, and scales bilinearly.
   */
  static BufferedImage flatten(BufferedImage src, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * Scales down by successive halvings (bilinear halving averages 2x2 pixels, so no aliasing) and
   * one final bilinear step to exactly {@code width x height}; scales up in one step.
   */
  static BufferedImage scale(BufferedImage src, int width, int height) {
    BufferedImage current = src;
    while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
      current = flatten(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    if (current.getWidth() == width
        && current.getHeight() == height
        && current.getType() == BufferedImage.TYPE_INT_RGB) {
      return current;
    }
    return flatten(current, width, height);
  }

  /** Fits the long side into {@code longSide}, never enlarging. */
  static BufferedImage fit(BufferedImage src, int longSide) {
    int w = src.getWidth();
    int h = src.getHeight();
    double f = Math.min(1.0, (double) longSide / Math.max(w, h));
    return scale(src, Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f)));
  }

  /** Scales the short side to {@code size} and crops the centre square (CLIP-style input). */
  static BufferedImage centreSquare(BufferedImage src, int size) {
    int side = Math.min(src.getWidth(), src.getHeight());
    // getSubimage shares the pixels: the crop costs nothing, the scaling reads only the square.
    BufferedImage square =
        src.getSubimage((src.getWidth() - side) / 2, (src.getHeight() - side) / 2, side, side);
    return scale(square, size, size);
  }

  /** Applies an EXIF orientation (1..8) so that the result displays upright. */
  static BufferedImage orient(BufferedImage src, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] in = src.getRGB(0, 0, w, h, null, 0, w);
    int[] out = new int[in.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { // mirrored
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> { // rotated 180
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> { // flipped
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> { // transposed
            sx = y;
            sy = x;
          }
          case 6 -> { // needs a 90 degree clockwise turn
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> { // transversed
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> { // 8: needs a 90 degree counter-clockwise turn
            sx = w - 1 - y;
            sy = x;
          }
        }
        out[y * ow + x] = in[sy * w + sx];
      }
    }
    BufferedImage result = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
    result.setRGB(0, 0, ow, oh, out, 0, ow);
    return result;
  }
}
