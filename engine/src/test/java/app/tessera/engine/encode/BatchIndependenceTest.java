package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.Device;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An image's features must not depend on what it is encoded with: a query image alone, a library in
 * batches and the Spark job in other batches must all give it the same features, bit for bit, so
 * that they give it the same code.
 */
class BatchIndependenceTest {
  @Test
  void anImageEncodesTheSameAloneAndInAnyBatch() {
    List<BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(0x203040 * (i + 1) & 0xFFFFFF));
      g.fillRect(0, 0, 40, 30);
      g.setColor(Color.WHITE);
      g.fillOval(i * 3, 5, 14, 14);
      g.dispose();
      images.add(image);
    }
    try (TesseraCnnImageEncoder encoder =
        TesseraCnnImageEncoder.untrained(new TesseraCnn(32, 8, 64), Device.CPU)) {
      float[][] batched = encoder.encode(images);
      for (int size : new int[] {1, 2, 3, 5}) {
        for (int from = 0; from < images.size(); from += size) {
          float[][] out =
              encoder.encode(images.subList(from, Math.min(images.size(), from + size)));
          for (int i = 0; i < out.length; i++) {
            assertThat(out[i])
                .as("batch of %d, image %d", size, from + i)
                .isEqualTo(batched[from + i]);
          }
        }
      }
    }
  }
}
