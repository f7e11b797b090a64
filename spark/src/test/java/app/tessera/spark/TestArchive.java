package app.tessera.spark;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small archive for the job's tests: photo-like JPEGs large enough for the native JPEG path,
 * small and large PNGs, a GIF and a BMP, captions in every kind of sidecar, a copy of one photo in
 * another folder, and three files that cannot be indexed (truncated, empty, not an image).
 */
public final class TestArchive {
  private TestArchive() {}

  public static final String[] SHAPES = {"circle", "square", "triangle"};
  public static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

  /** Writes the archive under {@code root}; returns {@code root}. */
  static Path write(Path root) throws IOException {
    Path trips = Files.createDirectories(root.resolve("trips"));
    int[][] photoSizes = {{1600, 1200}, {1200, 1600}, {800, 600}, {2400, 1600}};
    for (int i = 0; i < photoSizes.length; i++) {
      byte[] jpeg = jpeg(photo(photoSizes[i][0], photoSizes[i][1], i));
      Files.write(trips.resolve("IMG_000" + (i + 1) + ".jpg"), jpeg);
    }
    Files.writeString(trips.resolve("IMG_0001.txt"), "a red boat in the harbour");
    Files.writeString(trips.resolve("IMG_0002.JPG.txt"), "a green field under a blue sky");
    Files.write(
        trips.resolve("IMG_0003.caption"),
        ("\uFEFFa yellow tram in the rain").getBytes(StandardCharsets.UTF_8));
    Files.writeString(trips.resolve("IMG_0004.xmp"), xmp("a lighthouse in the fog", "coast"));

    Path copies = Files.createDirectories(trips.resolve("copies"));
    Files.copy(trips.resolve("IMG_0001.jpg"), copies.resolve("boat.jpg"));
    Files.writeString(copies.resolve("boat.txt"), "the same red boat, copied");

    Path icons = Files.createDirectories(root.resolve("icons"));
    for (int i = 0; i < 12; i++) {
      int side = 32 + 8 * (i % 5);
      BufferedImage icon = icon(side, side, i, i % 3 == 0);
      ImageIO.write(icon, "png", icons.resolve("icon-" + i + ".png").toFile());
      if (i % 4 != 3) {
        Files.writeString(
            icons.resolve("icon-" + i + ".txt"),
            "a " + COLOURS[i % 4] + " " + SHAPES[i % 3] + (i < 4 ? "" : " on white"));
      }
    }
    ImageIO.write(icon(120, 60, 20, true), "png", icons.resolve("wide.png").toFile());
    Files.writeString(icons.resolve("wide.txt"), "a red circle"); // same text as icon-0

    Path scans = Files.createDirectories(root.resolve("scans"));
    ImageIO.write(icon(90, 90, 30, false), "gif", scans.resolve("scan-0.gif").toFile());
    ImageIO.write(photo(300, 200, 31), "bmp", scans.resolve("scan-1.bmp").toFile());
    ImageIO.write(photo(1000, 700, 32), "png", scans.resolve("scan-2.png").toFile());
    Files.writeString(scans.resolve("scan-2.txt"), "a scanned map of the coast");

    Files.write(root.resolve("cover.jpg"), jpeg(photo(640, 480, 40)));
    Files.writeString(root.resolve("cover.txt"), "the cover of the album");

    Path broken = Files.createDirectories(root.resolve("broken"));
    byte[] whole = jpeg(photo(900, 600, 50));
    Files.write(broken.resolve("truncated.jpg"), Arrays.copyOf(whole, whole.length / 2));
    Files.write(broken.resolve("empty.png"), new byte[0]);
    Files.writeString(broken.resolve("notes.jpg"), "not an image at all");
    return root;
  }

  /** A photo-like picture: a gradient sky, shapes and sensor noise (so JPEGs are realistic). */
  public static BufferedImage photo(int w, int h, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(
        new GradientPaint(
            0, 0, new Color(random.nextInt(0xFFFFFF)), w, h, new Color(random.nextInt(0xFFFFFF))));
    g.fillRect(0, 0, w, h);
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(random.nextInt(0xFFFFFF)));
      int x = random.nextInt(w);
      int y = random.nextInt(h);
      int s = 20 + random.nextInt(Math.max(1, Math.min(w, h) / 3));
      if (i % 2 == 0) {
        g.fillOval(x, y, s, s);
      } else {
        g.fillRect(x, y, s, s / 2);
      }
    }
    g.dispose();
    for (int i = 0; i < w * h / 8; i++) {
      int x = random.nextInt(w);
      int y = random.nextInt(h);
      int rgb = image.getRGB(x, y);
      int d = random.nextInt(31) - 15;
      int r = clamp(((rgb >> 16) & 0xFF) + d);
      int gr = clamp(((rgb >> 8) & 0xFF) + d);
      int b = clamp((rgb & 0xFF) + d);
      image.setRGB(x, y, (r << 16) | (gr << 8) | b);
    }
    return image;
  }

  /** A coloured shape on white; with {@code alpha}, a transparent background instead. */
  static BufferedImage icon(int w, int h, int i, boolean alpha) {
    BufferedImage image =
        new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    if (!alpha) {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
    }
    g.setColor(RGB[i % 4]);
    int s = Math.min(w, h) * 2 / 3;
    switch (i % 3) {
      case 0 -> g.fillOval((w - s) / 2, (h - s) / 2, s, s);
      case 1 -> g.fillRect((w - s) / 2, (h - s) / 2, s, s);
      default ->
          g.fillPolygon(
              new int[] {w / 2, (w - s) / 2, (w + s) / 2},
              new int[] {(h - s) / 2, (h + s) / 2, (h + s) / 2},
              3);
    }
    g.dispose();
    return image;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  public static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  static String xmp(String description, String subject) {
    return "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"
        + " xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description"
        + " rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:description><rdf:Alt>"
        + "<rdf:li xml:lang=\"x-default\">"
        + description
        + "</rdf:li></rdf:Alt></dc:description><dc:subject><rdf:Bag><rdf:li>"
        + subject
        + "</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>";
  }
}
