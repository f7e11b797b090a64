package app.tessera.engine.store;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An encoded image kept in the catalogue (a thumbnail or a model input): JPEG or PNG bytes, always
 * opaque sRGB (8-bit RGB, or a palette for a small PNG kept as it was), orientation already
 * applied.
 */
public record StoredImage(int width, int height, String format, byte[] bytes) {
  /** Whether {@code other} is the same encoded image (same size, format and bytes). */
  public boolean sameAs(StoredImage other) {
    return this == other
        || (width == other.width
            && height == other.height
            && format.equals(other.format)
            && Arrays.equals(bytes, other.bytes));
  }

  /** Decodes the bytes (small images: a millisecond or two). */
  public BufferedImage toImage() {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new IllegalStateException("stored " + format + " image cannot be decoded");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pixels as packed {@code 0xRRGGBB} ints, row by row ({@code width * height}). */
  public int[] rgb() {
    BufferedImage image = toImage();
    int[] out = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    for (int i = 0; i < out.length; i++) {
      out[i] &= 0xFFFFFF;
    }
    return out;
  }
}
