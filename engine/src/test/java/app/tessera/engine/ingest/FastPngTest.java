package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
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

    StoredImage stored = FastPng.storableAsIs(source, 40, 30, true);

    assertThat(stored).isNotNull();
    assertThat(stored.format()).isEqualTo("png");
    assertThat(stored.bytes()).isEqualTo(plain); // exactly the critical chunks, in order
    assertThat(pixels(stored.toImage())).isEqualTo(pixels(image));
  }

  @Test
  void aPngWithNothingToDropIsKeptAsTheSameBytes() throws Exception {
    byte[] source = TestImages.png(TestImages.noise(20, 20, 4));
    assertThat(FastPng.storableAsIs(source, 20, 20, true).bytes()).isSameAs(source);
  }

  @Test
  void anOpaquePalettePngIsKept() throws Exception {
    IndexColorModel palette =
        new IndexColorModel(
            8, 2, new byte[] {(byte) 255, 0}, new byte[] {0, (byte) 200}, new byte[] {0, 0});
    BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_INDEXED, palette);
    image.getRaster().setSample(3, 2, 0, 1);
    byte[] source = TestImages.png(image);

    StoredImage stored = FastPng.storableAsIs(source, 16, 8, true);

    assertThat(stored).isNotNull();
    assertThat(pixels(stored.toImage())).isEqualTo(pixels(image));
  }

  @Test
  void refusesWhatWouldNeedConvertingOrIsDamaged() throws Exception {
    byte[] rgb = TestImages.png(TestImages.noise(20, 20, 5));
    BufferedImage grey = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);

    assertThat(FastPng.storableAsIs(TestImages.transparentPng(20, 20), 20, 20, true))
        .isNull(); // alpha
    assertThat(FastPng.storableAsIs(TestImages.palettePng(20, 20), 20, 20, true)).isNull(); // tRNS
    assertThat(FastPng.storableAsIs(TestImages.png16(20, 20, 1, 2, 3), 20, 20, true)).isNull();
    assertThat(FastPng.storableAsIs(TestImages.png(grey), 20, 20, true)).isNull();
    assertThat(FastPng.storableAsIs(withChunk(rgb, "iCCP", TEXT), 20, 20, true)).isNull();
    assertThat(FastPng.storableAsIs(withChunk(rgb, "ABCD", TEXT), 20, 20, true))
        .isNull(); // unknown
    assertThat(FastPng.storableAsIs(rgb, 20, 19, true)).isNull(); // not what was decoded
    assertThat(FastPng.storableAsIs(Arrays.copyOf(rgb, rgb.length - 12), 20, 20, true)).isNull();
    byte[] badCrc = rgb.clone();
    badCrc[8 + 8 + 13] ^= 1; // IHDR's checksum
    assertThat(FastPng.storableAsIs(badCrc, 20, 20, true)).isNull();
    byte[] hugeLength = rgb.clone();
    ByteBuffer.wrap(hugeLength).putInt(33, Integer.MAX_VALUE); // the chunk after IHDR
    assertThat(FastPng.storableAsIs(hugeLength, 20, 20, true)).isNull();
    assertThat(FastPng.storableAsIs(TestImages.jpeg(TestImages.noise(20, 20, 6)), 20, 20, true))
        .isNull();
  }

  @Test
  void withoutDecodingOnlyIntactRgbImageDataIsAccepted() throws Exception {
    int w = 5;
    int h = 4;
    byte[] raw = new byte[h * (1 + 3 * w)];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = i % (1 + 3 * w) == 0 ? (byte) (i / (1 + 3 * w) % 5) : (byte) (i * 7);
    }
    byte[] intact = rgbPng(w, h, deflate(raw));
    StoredImage stored = FastPng.storableAsIs(intact, w, h, false);
    assertThat(stored).isNotNull();
    assertThat(stored.toImage().getWidth()).isEqualTo(w); // and ImageIO agrees it decodes

    byte[] badFilter = raw.clone();
    badFilter[2 * (1 + 3 * w)] = 7; // row 2: no such filter type
    assertThat(FastPng.storableAsIs(rgbPng(w, h, deflate(badFilter)), w, h, false)).isNull();
    byte[] rowShort = Arrays.copyOf(raw, raw.length - (1 + 3 * w));
    assertThat(FastPng.storableAsIs(rgbPng(w, h, deflate(rowShort)), w, h, false)).isNull();
    byte[] byteLong = Arrays.copyOf(raw, raw.length + 1);
    assertThat(FastPng.storableAsIs(rgbPng(w, h, deflate(byteLong)), w, h, false)).isNull();
    assertThat(FastPng.storableAsIs(rgbPng(0, 0, deflate(new byte[0])), 0, 0, false)).isNull();
    byte[] otherMethod = intact.clone();
    otherMethod[8 + 8 + 10] = 1; // IHDR compression method: only 0 exists
    assertThat(FastPng.storableAsIs(withFixedHeaderCrc(otherMethod), w, h, false)).isNull();
    assertThat(FastPng.storableAsIs(withFixedHeaderCrc(intact.clone()), w, h, false)).isNotNull();
    byte[] garbled = deflate(raw);
    garbled[garbled.length / 2] ^= 0x55; // caught by inflating or by the Adler-32 check
    assertThat(FastPng.storableAsIs(rgbPng(w, h, garbled), w, h, false)).isNull();

    // A palette or an interlaced image needs decoding to be checked: refused here.
    IndexColorModel palette =
        new IndexColorModel(
            8, 2, new byte[] {(byte) 255, 0}, new byte[] {0, (byte) 200}, new byte[] {0, 0});
    byte[] indexed =
        TestImages.png(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, palette));
    assertThat(FastPng.storableAsIs(indexed, 8, 8, true)).isNotNull();
    assertThat(FastPng.storableAsIs(indexed, 8, 8, false)).isNull();
    byte[] interlaced = interlacedPng(TestImages.noise(8, 8, 9));
    assertThat(FastPng.storableAsIs(interlaced, 8, 8, true)).isNotNull();
    assertThat(FastPng.storableAsIs(interlaced, 8, 8, false)).isNull();
  }

  @Test
  void aDamagedSmallPngStillFailsToIndex() throws Exception {
    byte[] png = TestImages.png(TestImages.noise(64, 64, 10));
    ByteBuffer in = ByteBuffer.wrap(png);
    int idat = 8 + 12 + 13; // the chunk after IHDR
    assertThat(new String(png, idat + 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("IDAT");
    int length = in.getInt(idat);
    png[idat + 8 + length / 2] ^= 0x55;
    CRC32 crc = new CRC32(); // a checksum that matches: only the image data is damaged
    crc.update(png, idat + 4, 4 + length);
    in.putInt(idat + 8 + length, (int) crc.getValue());

    ImageDecoder decoder = new ImageDecoder(ImageDecoder.Sizes.DEFAULT);
    assertThatThrownBy(() -> decoder.decode(Path.of("damaged.png"), png, 1))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void onlyPngsWithTextOrExifChunksAreGivenToTheMetadataReader() throws Exception {
    byte[] plain = TestImages.png(TestImages.noise(8, 8, 11));
    assertThat(FastPng.mayHoldMetadata(plain)).isFalse();
    for (String type : new String[] {"tEXt", "zTXt", "iTXt", "eXIf"}) {
      assertThat(FastPng.mayHoldMetadata(withChunk(plain, type, TEXT))).as(type).isTrue();
    }
    assertThat(FastPng.mayHoldMetadata(withChunk(plain, "pHYs", new byte[9]))).isFalse();
    assertThat(FastPng.mayHoldMetadata(TestImages.jpeg(TestImages.noise(8, 8, 12)))).isTrue();
    assertThat(FastPng.mayHoldMetadata(Arrays.copyOf(plain, plain.length - 5))).isTrue();
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

  /** An 8-bit RGB, non-interlaced PNG of {@code w x h} whose image data is {@code idat}. */
  private static byte[] rgbPng(int w, int h, byte[] idat) {
    ByteBuffer header = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    writeChunk(out, "IHDR", header.array());
    writeChunk(out, "IDAT", idat);
    writeChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** {@code png} with its IHDR checksum recomputed (after an edit of the header). */
  private static byte[] withFixedHeaderCrc(byte[] png) {
    CRC32 crc = new CRC32();
    crc.update(png, 12, 4 + 13);
    ByteBuffer.wrap(png).putInt(8 + 8 + 13, (int) crc.getValue());
    return png;
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater();
    deflater.setInput(raw);
    deflater.finish();
    byte[] buffer = new byte[raw.length + 64];
    int n = deflater.deflate(buffer);
    deflater.end();
    return Arrays.copyOf(buffer, n);
  }

  private static byte[] interlacedPng(BufferedImage image) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT); // Adam7
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    byte[] png = bytes.toByteArray();
    assertThat(png[8 + 8 + 12]).isEqualTo((byte) 1); // IHDR says interlaced
    return png;
  }

  private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
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
