package app.tessera.engine.encode;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The model-input image of a file: decoded with ImageIO (every PNG variant, palette or RGBA), alpha
 * composited onto white, and letterboxed onto a white square of the wanted side.
 *
 * <p>Deliberately tiny: the library's real decoder (EXIF orientation, thumbnails, more formats)
 * lives in {@code ingest}; this one serves dataset folders such as EmojiXM.
 */
public final class ModelInputImages {
  private ModelInputImages() {}

  /**
   * Decodes {@code file} and returns its {@code size}×{@code size} RGB model-input image.
   *
   * @throws IOException when the file is missing or no ImageIO reader understands it
   */
  public static BufferedImage load(Path file, int size) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("Image file not found: " + file);
    }
    BufferedImage decoded = ImageIO.read(file.toFile());
    if (decoded == null) {
      throw new IOException("Not a readable image (no decoder for its format): " + file);
    }
    return toSquareRgb(decoded, size);
  }

  /**
   * Returns {@code image} as a {@code size}×{@code size} {@link BufferedImage#TYPE_INT_RGB} image:
   * transparent pixels become white and the image is scaled to fit, centred on white. Returns the
   * image itself when it is already an opaque RGB square of that size.
   */
  public static BufferedImage toSquareRgb(BufferedImage image, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + size);
    }
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getWidth() == size
        && image.getHeight() == size) {
      return image;
    }
    double scale = Math.min((double) size / image.getWidth(), (double) size / image.getHeight());
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage square = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = square.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, size, size);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      // Drawing onto an opaque white canvas composites the alpha channel onto white.
      g.drawImage(image, (size - width) / 2, (size - height) / 2, width, height, null);
    } finally {
      g.dispose();
    }
    return square;
  }

  /**
   * Packs {@code image} (already {@code size}×{@code size} RGB) as interleaved-free planar bytes:
   * all red values, then green, then blue (CHW), row-major.
   */
  static byte[] toPlanarBytes(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int plane = w * h;
    byte[] out = new byte[3 * plane];
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      out[i] = (byte) (p >> 16);
      out[plane + i] = (byte) (p >> 8);
      out[2 * plane + i] = (byte) p;
    }
    return out;
  }
}
