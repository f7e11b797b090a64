package app.tessera.engine.ingest;

import app.tessera.engine.store.StoredImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * PNG at the byte level. A minimal encoder for opaque 8-bit RGB: one fixed filter ("Sub") and the
 * fastest deflate level, about four times faster than ImageIO's PNG writer (which tries every
 * filter on every row at a higher level) for files only a little larger; any PNG reader decodes
 * them. For a source PNG that already is what the catalogue stores, its own chunks, not encoded
 * again ({@link #storableAsIs}); and whether a PNG has any metadata chunk to read at all.
 */
final class FastPng {
  /**
   * One per thread: setting up zlib's state costs as much as compressing a small thumbnail. Its
   * native memory is released with the thread (the Deflater's cleaner).
   */
  private static final ThreadLocal<Deflater> DEFLATER =
      ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));

  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
  private static final ThreadLocal<byte[]> INFLATED =
      ThreadLocal.withInitial(() -> new byte[16 * 1024]);

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private FastPng() {}

  static byte[] encode(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = pixels(image);
    int stride = 1 + 3 * w;
    byte[] raw = new byte[stride * h];
    for (int y = 0; y < h; y++) {
      int at = y * stride;
      raw[at++] = 1; // filter type Sub: each byte minus the same channel of the pixel to its left
      int pr = 0;
      int pg = 0;
      int pb = 0;
      for (int x = 0; x < w; x++) {
        int p = argb[y * w + x];
        int r = (p >> 16) & 0xFF;
        int g = (p >> 8) & 0xFF;
        int b = p & 0xFF;
        raw[at++] = (byte) (r - pr);
        raw[at++] = (byte) (g - pg);
        raw[at++] = (byte) (b - pb);
        pr = r;
        pg = g;
        pb = b;
      }
    }
    Deflater deflater = DEFLATER.get();
    byte[] compressed;
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 3 + 64);
      byte[] buffer = new byte[32 * 1024];
      while (!deflater.finished()) {
        z.write(buffer, 0, deflater.deflate(buffer));
      }
      compressed = z.toByteArray();
    } finally {
      deflater.reset();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length + 64);
    out.writeBytes(SIGNATURE);
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", compressed);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** The packed pixels, straight from the raster when it is a plain {@code INT_RGB} one. */
  private static int[] pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getRaster().getDataBuffer() instanceof DataBufferInt buffer
        && image.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel model
        && model.getScanlineStride() == w
        && image.getRaster().getSampleModelTranslateX() == 0
        && image.getRaster().getSampleModelTranslateY() == 0
        && buffer.getNumBanks() == 1
        && buffer.getOffset() == 0
        && buffer.getData().length == w * h) {
      return buffer.getData();
    }
    return image.getRGB(0, 0, w, h, null, 0, w);
  }

  /**
   * The PNG {@code source} as the catalogue can store it, without decoding or compressing again:
   * its critical chunks (IHDR, PLTE, IDAT, IEND; text, time and other metadata chunks dropped),
   * when it is an opaque 8-bit truecolour or palette image of {@code width x height} with no colour
   * profile. Null for anything else (alpha, transparency, grey, 16-bit, ICC profile, an unknown
   * critical chunk, a bad chunk checksum or layout): those go through decoding and {@link #encode},
   * whose output is always opaque 8-bit RGB.
   *
   * <p>When the pixels were not {@code decoded}, only a non-interlaced 8-bit RGB image qualifies,
   * and only if its image data inflates, Adler-32 checked, to exactly {@code height} rows of a
   * valid filter byte and {@code 3 x width} bytes: all any decoder needs, so a damaged file is
   * still refused (a palette could hold indices past its end, which only decoding would show).
   */
  static StoredImage storableAsIs(byte[] source, int width, int height, boolean decoded) {
    List<Chunk> chunks = chunks(source);
    if (chunks == null
        || !chunks.getFirst().type().equals("IHDR")
        || chunks.getFirst().length() != 13) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(source);
    int header = chunks.getFirst().data();
    int depth = in.get(header + 8);
    int colourType = in.get(header + 9);
    boolean rgb = colourType == 2 && depth == 8;
    if (width <= 0
        || height <= 0
        || in.getInt(header) != width
        || in.getInt(header + 4) != height
        || !(rgb || (colourType == 3 && decoded))
        || in.get(header + 10) != 0 // compression method: only deflate exists
        || in.get(header + 11) != 0 // filter method: only adaptive exists
        || (!decoded && in.get(header + 12) != 0)) { // Adam7 interlacing: only decoded
      return null;
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream(source.length);
    kept.writeBytes(SIGNATURE);
    List<Chunk> imageData = new ArrayList<>();
    for (Chunk chunk : chunks) {
      switch (chunk.type()) {
        case "IHDR", "PLTE", "IDAT", "IEND" -> {
          CRC32 crc = new CRC32();
          crc.update(source, chunk.at() + 4, 4 + chunk.length());
          if ((int) crc.getValue() != in.getInt(chunk.end() - 4)) {
            return null;
          }
          kept.write(source, chunk.at(), chunk.end() - chunk.at());
          if (chunk.type().equals("IDAT")) {
            imageData.add(chunk);
          }
        }
        case "tRNS", "iCCP" -> {
          return null; // transparency to flatten, or a colour profile to convert
        }
        default -> {
          if (Character.isUpperCase(chunk.type().charAt(0))) {
            return null; // a critical chunk this code does not know
          }
        }
      }
    }
    if (!decoded && !inflatesToRows(source, imageData, 1 + 3L * width, height)) {
      return null;
    }
    byte[] bytes = kept.size() == source.length ? source : kept.toByteArray();
    return new StoredImage(width, height, "png", bytes);
  }

  /** The width and height in a PNG's header; null if {@code bytes} does not start as a PNG. */
  static int[] size(byte[] bytes) {
    if (bytes.length < SIGNATURE.length + 16
        || !startsAsPng(bytes)
        || !new String(bytes, 12, 4, StandardCharsets.ISO_8859_1).equals("IHDR")) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    return new int[] {in.getInt(16), in.getInt(20)};
  }

  /**
   * Whether a PNG may hold captions, keywords or an orientation (text, international text,
   * compressed text or EXIF chunks). True for anything that is not a well-formed PNG, so that the
   * metadata library still has its look.
   */
  static boolean mayHoldMetadata(byte[] bytes) {
    List<Chunk> chunks = chunks(bytes);
    if (chunks == null) {
      return true;
    }
    for (Chunk chunk : chunks) {
      switch (chunk.type()) {
        case "tEXt", "zTXt", "iTXt", "eXIf" -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  /** A chunk: its type, where it starts (its length field) and its data length. */
  private record Chunk(String type, int at, int length) {
    int data() {
      return at + 8;
    }

    int end() {
      return at + 12 + length;
    }
  }

  /** The chunks of a PNG, up to and including IEND; null if not a PNG or laid out wrongly. */
  private static List<Chunk> chunks(byte[] png) {
    if (!startsAsPng(png)) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(png);
    List<Chunk> chunks = new ArrayList<>();
    for (int at = SIGNATURE.length; ; ) {
      if (png.length - at < 12) {
        return null; // truncated before IEND
      }
      long length = Integer.toUnsignedLong(in.getInt(at));
      if (length > png.length - at - 12) {
        return null;
      }
      Chunk chunk =
          new Chunk(new String(png, at + 4, 4, StandardCharsets.ISO_8859_1), at, (int) length);
      chunks.add(chunk);
      if (chunk.type().equals("IEND")) {
        return chunks;
      }
      at = chunk.end();
    }
  }

  private static boolean startsAsPng(byte[] bytes) {
    return bytes.length >= SIGNATURE.length
        && Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
  }

  /** Inflates the image data and checks its size and every row's filter byte (0 to 4). */
  private static boolean inflatesToRows(
      byte[] source, List<Chunk> imageData, long rowBytes, int rows) {
    Inflater inflater = INFLATER.get();
    byte[] out = INFLATED.get(); // only looked at, never kept
    long expected = rowBytes * rows;
    long produced = 0;
    try {
      for (Chunk chunk : imageData) {
        inflater.setInput(source, chunk.data(), chunk.length());
        while (!inflater.finished() && !inflater.needsInput()) {
          int n = inflater.inflate(out);
          if (n == 0 && inflater.needsDictionary()) {
            return false;
          }
          for (long row = (produced + rowBytes - 1) / rowBytes * rowBytes;
              row < produced + n;
              row += rowBytes) {
            if (row < expected && (out[(int) (row - produced)] & 0xFF) > 4) {
              return false;
            }
          }
          produced += n;
          if (produced > expected) {
            return false;
          }
        }
      }
      return inflater.finished() && produced == expected;
    } catch (DataFormatException e) {
      return false;
    } finally {
      inflater.reset();
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
