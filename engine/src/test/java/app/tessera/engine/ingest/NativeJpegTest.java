package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/** {@link NativeJpeg}: which JPEGs it takes, and that it gives the picture ImageIO gives. */
class NativeJpegTest {
  private static final long BUDGET = ImageDecoder.Sizes.DEFAULT.pixelBudget();

  @Test
  void takesCompleteBaselineAndProgressiveColourOrGreyJpegs() throws Exception {
    BufferedImage picture = TestImages.halves(1600, 1200, Color.RED, Color.BLUE);
    assertThat(NativeJpeg.suited(TestImages.jpeg(picture))).isTrue();
    assertThat(NativeJpeg.suited(TestImages.progressiveJpeg(picture))).isTrue();
    BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    assertThat(NativeJpeg.suited(TestImages.jpeg(grey))).isTrue();
  }

  @Test
  void leavesToImageIoWhatItWouldDecodeDifferently() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 48, 1));
    assertThat(NativeJpeg.suited(Arrays.copyOf(jpeg, jpeg.length - 100))).as("truncated").isFalse();
    assertThat(NativeJpeg.suited(TestImages.cmykJpeg(32, 32, 0, 255, 255, 0))).as("CMYK").isFalse();
    assertThat(NativeJpeg.suited(TestImages.withSegments(jpeg, iccSegment()))).as("ICC").isFalse();
    assertThat(NativeJpeg.suited(TestImages.png(TestImages.noise(8, 8, 2)))).as("PNG").isFalse();
    assertThat(NativeJpeg.suited(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}))
        .as("no frame")
        .isFalse();
    // Nothing to gain below a step of 2, and never past the pixel budget.
    assertThat(NativeJpeg.decode(jpeg, 64, 48, 1, BUDGET)).isNull();
    assertThat(NativeJpeg.decode(jpeg, 64, 48, 2, 100)).isNull();
  }

  @Test
  void decodesAtTheReducedSizeWithTheColoursImageIoGives() throws Exception {
    BufferedImage picture = TestImages.halves(1600, 1200, Color.RED, Color.BLUE);
    byte[] jpeg = TestImages.jpeg(picture);

    BufferedImage quarter = NativeJpeg.decode(jpeg, 1600, 1200, 5, BUDGET);

    assertThat(quarter).isNotNull();
    assertThat(quarter.getWidth()).isEqualTo(400);
    assertThat(quarter.getHeight()).isEqualTo(300);
    int left = quarter.getRGB(100, 150);
    int right = quarter.getRGB(300, 150);
    assertThat((left >> 16) & 0xFF).isGreaterThan(230);
    assertThat(left & 0xFF).isLessThan(25);
    assertThat(right & 0xFF).isGreaterThan(230);
    assertThat((right >> 16) & 0xFF).isLessThan(25);
  }

  @Test
  void ingestGivesTheSameThumbnailEitherWay() throws Exception {
    // A photo-like picture through the fast path (complete file) and through ImageIO (the same
    // file with an ICC segment, which sends it there): the thumbnails must look the same. (Per-
    // pixel noise would not: ImageIO's subsampling aliases it, DCT scaling averages it.)
    BufferedImage picture = photoLike(2400, 1800);
    byte[] jpeg = TestImages.jpeg(picture);
    ImageDecoder decoder = new ImageDecoder(ImageDecoder.Sizes.DEFAULT);

    BufferedImage fast = decoder.decode(Path.of("a.jpg"), jpeg, 1).thumbnail().toImage();
    BufferedImage slow =
        decoder
            .decode(Path.of("b.jpg"), TestImages.withSegments(jpeg, iccSegment()), 1)
            .thumbnail()
            .toImage();

    assertThat(fast.getWidth()).isEqualTo(slow.getWidth()).isEqualTo(256);
    assertThat(fast.getHeight()).isEqualTo(slow.getHeight()).isEqualTo(192);
    assertThat(meanAbsoluteDifference(fast, slow)).isLessThan(3.0);
  }

  @Test
  void aLargePhotoIsTurnedByItsExifOrientation() throws Exception {
    // Stored 1600x1200, left red, right blue; orientation 6: turn 90 degrees clockwise to view.
    byte[] jpeg =
        TestImages.withSegments(
            TestImages.jpeg(TestImages.halves(1600, 1200, Color.RED, Color.BLUE)),
            TestImages.exif(6, null));
    assertThat(NativeJpeg.suited(jpeg)).isTrue();

    ImageDecoder.Decoded decoded =
        new ImageDecoder(ImageDecoder.Sizes.DEFAULT).decode(Path.of("turned.jpg"), jpeg);

    assertThat(decoded.width()).isEqualTo(1200);
    assertThat(decoded.height()).isEqualTo(1600);
    BufferedImage thumb = decoded.thumbnail().toImage();
    assertThat(thumb.getWidth()).isEqualTo(192);
    assertThat(thumb.getHeight()).isEqualTo(256);
    assertThat((thumb.getRGB(96, 20) >> 16) & 0xFF).isGreaterThan(200); // red on top
    assertThat(thumb.getRGB(96, 236) & 0xFF).isGreaterThan(200); // blue below
  }

  @Test
  void encodesJpegsImageIoReadsBackAtTheQualityAsked() throws Exception {
    BufferedImage picture = photoLike(256, 192);
    byte[] fine = NativeJpeg.encode(picture, 0.95f);
    byte[] coarse = NativeJpeg.encode(picture, 0.3f);

    assertThat(fine).isNotNull();
    assertThat(coarse.length).isLessThan(fine.length);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(fine));
    assertThat(back.getWidth()).isEqualTo(256);
    // As faithful as ImageIO's own writer at the same quality (both 4:2:0).
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream reference = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(reference)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      writer.write(null, new IIOImage(picture, null, null), param);
    } finally {
      writer.dispose();
    }
    BufferedImage imageIo = ImageIO.read(new ByteArrayInputStream(reference.toByteArray()));
    assertThat(meanAbsoluteDifference(back, picture))
        .isLessThan(meanAbsoluteDifference(imageIo, picture) + 0.5);
  }

  @Test
  void aTruncatedPhotoStillFailsToIndex() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.noise(1600, 1200, 4));
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    ImageDecoder decoder = new ImageDecoder(ImageDecoder.Sizes.DEFAULT);
    assertThatThrownBy(() -> decoder.decode(Path.of("cut.jpg"), truncated, 1))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void aDamagedColourProfileIsNotDamagedImageData() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.noise(640, 480, 5));
    byte[] badProfile = TestImages.withSegments(jpeg, iccSegment(new byte[32]));
    ImageDecoder.Decoded decoded =
        new ImageDecoder(ImageDecoder.Sizes.DEFAULT).decode(Path.of("odd.jpg"), badProfile, 1);
    assertThat(decoded.thumbnail().width()).isEqualTo(256);
  }

  /** An APP2 segment with the sRGB ICC profile (which TwelveMonkeys applies: no change). */
  private static byte[] iccSegment() {
    return iccSegment(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
  }

  /** An APP2 segment holding {@code profile} as its one ICC chunk. */
  private static byte[] iccSegment(byte[] profile) {
    byte[] name = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.writeBytes(name);
    payload.write(1); // chunk 1
    payload.write(1); // of 1
    payload.writeBytes(profile);
    byte[] p = payload.toByteArray();
    return ByteBuffer.allocate(4 + p.length)
        .put((byte) 0xFF)
        .put((byte) 0xE2)
        .putShort((short) (p.length + 2))
        .put(p)
        .array();
  }

  /** Gradients and shapes, smooth at the pixel level like a photo. */
  private static BufferedImage photoLike(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 160), w, h, new Color(240, 200, 60)));
    g.fillRect(0, 0, w, h);
    Random random = new Random(6);
    for (int i = 0; i < 60; i++) {
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillOval(
          random.nextInt(w), random.nextInt(h), 40 + random.nextInt(400), 40 + random.nextInt(400));
    }
    g.dispose();
    return image;
  }

  private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
    long sum = 0;
    int n = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
          n++;
        }
      }
    }
    return (double) sum / n;
  }
}
