package app.tessera.engine.encode;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small generated image-caption data: coloured shapes in a few styles, like emoji designs. */
final class TinyImages {
  private TinyImages() {}

  static final String[] SHAPES = {"circle", "square", "triangle", "cross"};
  static final Color[] COLOURS = {Color.RED, Color.BLUE, new Color(0, 150, 0), Color.ORANGE};

  /** {@code perShape} images of each shape, randomly placed and styled (seeded). */
  static List<BufferedImage> images(int perShape, int size, long seed) {
    Random random = new Random(seed);
    List<BufferedImage> out = new ArrayList<>();
    for (int s = 0; s < SHAPES.length; s++) {
      for (int k = 0; k < perShape; k++) {
        out.add(draw(s, size, random, k % 2 == 1));
      }
    }
    return out;
  }

  /** The caption group of each image of {@link #images}. */
  static List<String> captions(int perShape) {
    List<String> out = new ArrayList<>();
    for (String shape : SHAPES) {
      for (int k = 0; k < perShape; k++) {
        out.add("a " + shape);
      }
    }
    return out;
  }

  static BufferedImage draw(int shape, int size, Random random, boolean lineArt) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    int margin = size / 8 + random.nextInt(Math.max(1, size / 8));
    int extent = size - 2 * margin;
    g.setColor(lineArt ? Color.BLACK : COLOURS[shape]);
    g.setStroke(new BasicStroke(Math.max(1, size / 12f)));
    switch (shape) {
      case 0 -> {
        if (lineArt) g.drawOval(margin, margin, extent, extent);
        else g.fillOval(margin, margin, extent, extent);
      }
      case 1 -> {
        if (lineArt) g.drawRect(margin, margin, extent, extent);
        else g.fillRect(margin, margin, extent, extent);
      }
      case 2 -> {
        int[] xs = {size / 2, margin, size - margin};
        int[] ys = {margin, size - margin, size - margin};
        if (lineArt) g.drawPolygon(xs, ys, 3);
        else g.fillPolygon(xs, ys, 3);
      }
      default -> {
        g.setStroke(new BasicStroke(Math.max(2, size / 6f)));
        g.drawLine(margin, margin, size - margin, size - margin);
        g.drawLine(size - margin, margin, margin, size - margin);
      }
    }
    g.dispose();
    return image;
  }

  /** Orthogonal unit "text features" for the shapes (dimension {@code d >= 4}). */
  static float[][] textFeatures(int perShape, int d) {
    float[][] out = new float[SHAPES.length * perShape][d];
    for (int s = 0; s < SHAPES.length; s++) {
      for (int k = 0; k < perShape; k++) {
        out[s * perShape + k][s] = 1f;
      }
    }
    return out;
  }
}
