package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.store.StoredImage;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** {@link FastPng}: what a source PNG stored as it is must keep, drop and refuse. */
class FastPngTest {
  private static final byte[] TEXT =
      "Comment\0made by a camera app".getBytes(StandardCharsets.ISO_8859_1);

  @Test
  void anOpaqueRgbPngIsKeptWithoutItsMetadataChunks() throws Exception {
    BufferedImage image = TestImages.noise(40, 30, 3);
    byte[] plain = TestImages.png(image);
    byte[] source = withChunk(plain, "tEXt", TEXT);

    StoredImage stored = FastPng.storableAsIs(source, 40, 30);

    assertThat(stored).isNotNull();
    assertThat(stored.format()).isEqualTo("png");
    assertThat(stored.bytes()).isEqualTo(plain); // exactly the critical chunks, in order
    assertThat(pixels(stored.toImage())).isEqualTo(pixels(image));
  }

  @Test
  void aPngWithNothingToDropIsKeptAsTheSameBytes() throws Exception {
    byte[] source = TestImages.png(TestImages.noise(20, 20, 4));
    assertThat(FastPng.storableAsIs(source, 20, 20).bytes()).isSameAs(source);
  }

  @Test
  void anOpaquePalettePngIsKept() throws Exception {
    IndexColorModel palette =
        new IndexColorModel(
            8, 2, new byte[] {(byte) 255, 0}, new byte[] {0, (byte) 200}, new byte[] {0, 0});
    BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_INDEXED, palette);
    image.getRaster().setSample(3, 2, 0, 1);
    byte[] source = TestImages.png(image);

    StoredImage stored = FastPng.storableAsIs(source, 16, 8);

    assertThat(stored).isNotNull();
    assertThat(pixels(stored.toImage())).isEqualTo(pixels(image));
  }

  @Test
  void refusesWhatWouldNeedConvertingOrIsDamaged() throws Exception {
    byte[] rgb = TestImages.png(TestImages.noise(20, 20, 5));
    BufferedImage grey = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);

    assertThat(FastPng.storableAsIs(TestImages.transparentPng(20, 20), 20, 20)).isNull(); // alpha
    assertThat(FastPng.storableAsIs(TestImages.palettePng(20, 20), 20, 20)).isNull(); // tRNS
    assertThat(FastPng.storableAsIs(TestImages.png16(20, 20, 1, 2, 3), 20, 20)).isNull();
    assertThat(FastPng.storableAsIs(TestImages.png(grey), 20, 20)).isNull();
    assertThat(FastPng.storableAsIs(withChunk(rgb, "iCCP", TEXT), 20, 20)).isNull();
    assertThat(FastPng.storableAsIs(withChunk(rgb, "ABCD", TEXT), 20, 20)).isNull(); // unknown
    assertThat(FastPng.storableAsIs(rgb, 20, 19)).isNull(); // not what was decoded
    assertThat(FastPng.storableAsIs(Arrays.copyOf(rgb, rgb.length - 12), 20, 20)).isNull();
    byte[] badCrc = rgb.clone();
    badCrc[8 + 8 + 13] ^= 1; // IHDR's checksum
    assertThat(FastPng.storableAsIs(badCrc, 20, 20)).isNull();
    byte[] hugeLength = rgb.clone();
    ByteBuffer.wrap(hugeLength).putInt(33, Integer.MAX_VALUE); // the chunk after IHDR
    assertThat(FastPng.storableAsIs(hugeLength, 20, 20)).isNull();
    assertThat(FastPng.storableAsIs(TestImages.jpeg(TestImages.noise(20, 20, 6)), 20, 20)).isNull();
  }

  @Test
  void theDecoderStoresASmallOpaquePngAsItIsAndEncodesOnlyWhatItScales() throws Exception {
    ImageDecoder decoder = new ImageDecoder(ImageDecoder.Sizes.DEFAULT);

    byte[] plainIcon = TestImages.png(TestImages.noise(64, 64, 7));
    ImageDecoder.Decoded icon =
        decoder.decode(Path.of("icon.png"), withChunk(plainIcon, "tEXt", TEXT), 1);
    assertThat(icon.thumbnail().bytes()).isEqualTo(plainIcon);
    assertThat(icon.modelInput()).isSameAs(icon.thumbnail());

    // Not square: the whole image is the thumbnail, the model input is its centre, encoded.
    BufferedImage wide = TestImages.halves(100, 60, Color.RED, Color.BLUE);
    byte[] wideBytes = TestImages.png(wide);
    ImageDecoder.Decoded banner = decoder.decode(Path.of("banner.png"), wideBytes, 1);
    assertThat(banner.thumbnail().bytes()).isSameAs(wideBytes);
    assertThat(banner.modelInput().width()).isEqualTo(60);
    assertThat(banner.modelInput().height()).isEqualTo(60);

    // Rotated by its EXIF orientation: the stored pixels must be turned, so encoded.
    ImageDecoder.Decoded turned = decoder.decode(Path.of("turned.png"), wideBytes, 6);
    assertThat(turned.thumbnail().width()).isEqualTo(60);
    assertThat(turned.thumbnail().height()).isEqualTo(100);
    assertThat(turned.thumbnail().bytes()).isNotEqualTo(wideBytes);

    // Larger than a thumbnail: scaled, so encoded.
    byte[] large = TestImages.png(TestImages.noise(300, 300, 8));
    ImageDecoder.Decoded photo = decoder.decode(Path.of("large.png"), large, 1);
    assertThat(photo.thumbnail().width()).isEqualTo(256);
    assertThat(photo.thumbnail().bytes()).isNotEqualTo(large);
  }

  /** {@code png} with one more chunk right after its IHDR. */
  static byte[] withChunk(byte[] png, String type, byte[] data) {
    int afterHeader = 8 + 4 + 4 + 13 + 4;
    byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, afterHeader);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    out.write(png, afterHeader, png.length - afterHeader);
    return out.toByteArray();
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
