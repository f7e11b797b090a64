package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.IndexReport;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXIF orientation, embedded XMP/IPTC/EXIF captions and keywords, XMP sidecars. */
class MetadataAndOrientationTest {
  @TempDir Path tmp;

  @Test
  void exifOrientationIsApplied() throws Exception {
    // Stored 80x40, left red, right blue; orientation 6 = turn 90 degrees clockwise to view.
    byte[] jpeg = TestImages.jpeg(TestImages.halves(80, 40, Color.RED, Color.BLUE));
    Path root = tmp.resolve("lib");
    TestImages.write(
        root.resolve("turned.jpg"), TestImages.withSegments(jpeg, TestImages.exif(6, null)));
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      Libraries.index(catalog, root);
      ItemStore items = new ItemStore(catalog);
      ItemStore.ImageItem image = items.images().getFirst();
      assertThat(image.width()).isEqualTo(40);
      assertThat(image.height()).isEqualTo(80);
      BufferedImage thumb = items.thumbnail(image.id()).orElseThrow().toImage();
      assertThat(thumb.getWidth()).isEqualTo(40);
      assertThat(thumb.getHeight()).isEqualTo(80);
      assertThat(red(thumb.getRGB(20, 10))).isGreaterThan(200); // the left half is now on top
      assertThat(blue(thumb.getRGB(20, 70))).isGreaterThan(200);
      BufferedImage input = items.modelInput(image.id()).orElseThrow().toImage();
      // The centre square at the source's own resolution (never enlarged to 224).
      assertThat(input.getWidth()).isEqualTo(40);
      assertThat(input.getHeight()).isEqualTo(40);
      assertThat(red(input.getRGB(20, 2))).isGreaterThan(200); // top rows of the crop: red half
      assertThat(blue(input.getRGB(20, 37))).isGreaterThan(200);
    }
  }

  @Test
  void largeImagesGiveA224ModelInputAndA256Thumbnail() throws Exception {
    ImageDecoder.Decoded decoded =
        new ImageDecoder(ImageDecoder.Sizes.DEFAULT)
            .decode(
                Path.of("wide.png"),
                TestImages.png(TestImages.halves(900, 450, Color.RED, Color.BLUE)));
    assertThat(decoded.thumbnail().toImage().getWidth()).isEqualTo(256);
    assertThat(decoded.thumbnail().toImage().getHeight()).isEqualTo(128);
    BufferedImage input = decoded.modelInput().toImage();
    assertThat(input.getWidth()).isEqualTo(224);
    assertThat(input.getHeight()).isEqualTo(224);
    assertThat(red(input.getRGB(10, 112))).isGreaterThan(200); // centre crop: half red, half blue
    assertThat(blue(input.getRGB(213, 112))).isGreaterThan(200);
  }

  @Test
  void inMemoryDecodingAppliesTheImagesOwnOrientation() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.halves(80, 40, Color.RED, Color.BLUE));
    ImageDecoder.Decoded decoded =
        new ImageDecoder(ImageDecoder.Sizes.DEFAULT)
            .decode(Path.of("query.jpg"), TestImages.withSegments(jpeg, TestImages.exif(8, null)));
    assertThat(decoded.width()).isEqualTo(40);
    assertThat(decoded.height()).isEqualTo(80);
    // Orientation 8 turns counter-clockwise: the right (blue) half ends on top.
    BufferedImage thumb = decoded.thumbnail().toImage();
    assertThat(blue(thumb.getRGB(20, 10))).isGreaterThan(200);
    assertThat(red(thumb.getRGB(20, 70))).isGreaterThan(200);
  }

  @Test
  void everyOrientationMapsCornersCorrectly() {
    // A 3x2 image with distinct pixels; orientation n must show what a viewer shows.
    BufferedImage src = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    int[] v = {1, 2, 3, 4, 5, 6}; // row 0: 1 2 3, row 1: 4 5 6
    for (int i = 0; i < 6; i++) {
      src.setRGB(i % 3, i / 3, v[i]);
    }
    assertThat(rows(Resample.orient(src, 2))).isEqualTo("3 2 1/6 5 4");
    assertThat(rows(Resample.orient(src, 3))).isEqualTo("6 5 4/3 2 1");
    assertThat(rows(Resample.orient(src, 4))).isEqualTo("4 5 6/1 2 3");
    assertThat(rows(Resample.orient(src, 5))).isEqualTo("1 4/2 5/3 6");
    assertThat(rows(Resample.orient(src, 6))).isEqualTo("4 1/5 2/6 3");
    assertThat(rows(Resample.orient(src, 7))).isEqualTo("6 3/5 2/4 1");
    assertThat(rows(Resample.orient(src, 8))).isEqualTo("3 6/2 5/1 4");
  }

  private static String rows(BufferedImage image) {
    StringBuilder s = new StringBuilder();
    for (int y = 0; y < image.getHeight(); y++) {
      if (y > 0) {
        s.append('/');
      }
      for (int x = 0; x < image.getWidth(); x++) {
        s.append(x > 0 ? " " : "").append(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return s.toString();
  }

  @Test
  void embeddedAndSidecarMetadataGiveCaptionsAndLabels() throws Exception {
    Path root = tmp.resolve("lib");
    byte[] jpeg = TestImages.jpeg(TestImages.noise(40, 30, 7));
    byte[] tagged =
        TestImages.withSegments(
            jpeg,
            TestImages.exif(1, "exif description"),
            TestImages.xmpSegment(
                TestImages.xmpPacket("xmp description", "xmp title", "beach", "sunset")),
            TestImages.iptcSegment("iptc caption \u00e9", "holiday"));
    TestImages.write(root.resolve("tagged.jpg"), tagged);
    TestImages.write(root.resolve("plain.png"), TestImages.png(TestImages.noise(20, 20, 8)));
    Files.writeString(
        root.resolve("plain.png.xmp"),
        TestImages.xmpPacket("sidecar xmp description", null, "mountain"),
        StandardCharsets.UTF_8);
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      IndexReport report = Libraries.index(catalog, root);
      assertThat(report.failed()).isZero();
      List<String> captions =
          Libraries.query(
              catalog,
              "SELECT f.rel_path || ' ' || c.source || ' ' || c.field || ' ' || c.text FROM captions c"
                  + " JOIN files f ON f.id = c.file_id ORDER BY 1");
      assertThat(captions)
          .containsExactly(
              "plain.png xmp dc:description sidecar xmp description",
              "tagged.jpg exif ImageDescription exif description",
              "tagged.jpg iptc Caption-Abstract iptc caption \u00e9",
              "tagged.jpg xmp dc:description xmp description",
              "tagged.jpg xmp dc:title xmp title");
      List<String> labels =
          Libraries.query(
              catalog,
              "SELECT f.rel_path || ' ' || il.source || ' ' || l.name FROM item_labels il"
                  + " JOIN labels l ON l.id = il.label_id JOIN files f ON f.item_id = il.item_id"
                  + " ORDER BY 1");
      assertThat(labels)
          .containsExactly(
              "plain.png xmp mountain",
              "tagged.jpg iptc holiday",
              "tagged.jpg xmp beach",
              "tagged.jpg xmp sunset");
    }
  }

  private static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  private static int blue(int rgb) {
    return rgb & 0xFF;
  }
}
