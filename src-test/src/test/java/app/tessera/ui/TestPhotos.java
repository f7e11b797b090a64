package app.tessera.ui;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Small generated photo folders for the window's tests: every picture different (a coloured square
 * or circle at its own place), each with a caption in a sidecar, the colour as its label.
 */
final class TestPhotos {
  static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

  private TestPhotos() {}

  /** {@code n} pictures {@code first..first+n-1} with captions into {@code folder}. */
  static Path draw(Path folder, int first, int n) throws IOException {
    Files.createDirectories(folder);
    for (int i = first; i < first + n; i++) {
      BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 40, 40);
      g.setColor(RGB[i % 4]);
      int x = 2 + (i / 4) % 20;
      int y = 2 + (i / 80) % 20;
      if (i % 2 == 0) {
        g.fillRect(x, y, 16, 16);
      } else {
        g.fillOval(x, y, 16, 16);
      }
      g.dispose();
      ImageIO.write(image, "png", folder.resolve("photo-" + i + ".png").toFile());
      Files.writeString(folder.resolve("photo-" + i + ".txt"), caption(i));
    }
    return folder;
  }

  static String caption(int i) {
    return "a " + COLOURS[i % 4] + " " + (i % 2 == 0 ? "square" : "circle") + " number " + i;
  }
}
