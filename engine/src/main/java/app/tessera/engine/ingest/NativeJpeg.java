package app.tessera.engine.ingest;

import app.tessera.engine.AppDirs;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG through OpenCV's libjpeg-turbo. Decoding straight to 1/2, 1/4 or 1/8 of the size: it scales
 * in the DCT domain, so a 12-MP photo decodes at 1/4 in ~18 ms where ImageIO with source
 * subsampling, which still runs the full inverse DCT, takes ~86 ms (measured on the development
 * VM). And encoding the JPEG thumbnails and model inputs.
 *
 * <p>Used only where it gives the picture ImageIO would: a complete file (one that ends with its
 * EOI marker; libjpeg fills a truncated one with grey and only warns on stderr), 8-bit samples in
 * one or three components (CMYK and YCCK need TwelveMonkeys' conversions), a DCT process libjpeg
 * decodes (baseline, extended, progressive) and no embedded ICC profile (which TwelveMonkeys
 * applies). For anything else, or where the native library does not load on this platform, {@link
 * #decode} and {@link #encode} return null and the caller uses ImageIO.
 */
final class NativeJpeg {
  private static final Logger LOG = LoggerFactory.getLogger(NativeJpeg.class);

  private NativeJpeg() {}

  /**
   * The native library, loaded once on first use; false where none is available. The jar holds a
   * build per platform; the one for this platform is copied once into Tessera's data directory and
   * loaded from there (the jar's own loader extracts 60 MB into a new temporary folder on every
   * start and leaves it behind). The installed app has it unpacked in its own folder ({@value
   * Native#UNPACKED_DIR}).
   */
  private static final class Native {
    /** A folder holding the library already unpacked (the installed app's), used as it is. */
    static final String UNPACKED_DIR = "tessera.opencv.dir";

    static final boolean LOADED = load();

    private static boolean load() {
      String library = System.mapLibraryName(Core.NATIVE_LIBRARY_NAME);
      String unpacked = System.getProperty(UNPACKED_DIR);
      if (unpacked != null && Files.isRegularFile(Path.of(unpacked, library))) {
        return load(Path.of(unpacked, library));
      }
      String platform = platform();
      URL resource =
          platform == null
              ? null
              : NativeJpeg.class.getResource("/nu/pattern/opencv/" + platform + "/" + library);
      if (resource == null) {
        LOG.info("no OpenCV build for this platform; JPEGs decode with ImageIO");
        return false;
      }
      try {
        URLConnection connection = resource.openConnection();
        long size = connection.getContentLengthLong();
        Path target =
            AppDirs.dataDir()
                .resolve("native")
                .resolve(Core.NATIVE_LIBRARY_NAME + "-" + size)
                .resolve(library);
        if (!Files.isRegularFile(target) || Files.size(target) != size) {
          Files.createDirectories(target.getParent());
          Path part = Files.createTempFile(target.getParent(), library, ".part");
          try (InputStream in = connection.getInputStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            Files.deleteIfExists(part);
          }
        }
        return load(target);
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "OpenCV's JPEG codec could not be loaded; JPEGs decode with ImageIO: {}", e.toString());
        return false;
      }
    }

    private static boolean load(Path library) {
      try {
        System.load(library.toString());
        return true;
      } catch (RuntimeException | LinkageError e) {
        LOG.warn(
            "OpenCV's JPEG codec could not be loaded; JPEGs decode with ImageIO: {}", e.toString());
        return false;
      }
    }

    /** The jar's folder for this operating system and processor, or null if it has none. */
    private static String platform() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
      String cpu =
          switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "ARMv8";
            default -> null;
          };
      if (cpu == null) {
        return null;
      }
      if (os.contains("linux")) {
        return "linux/" + cpu;
      }
      if (os.contains("mac") || os.contains("darwin")) {
        return "osx/" + cpu;
      }
      return os.contains("windows") && cpu.equals("x86_64") ? "windows/x86_64" : null;
    }
  }

  /**
   * {@code jpeg}, of {@code width x height} pixels, decoded at 1/2, 1/4 or 1/8 of its size: the
   * largest of those not above {@code step} (the subsampling ingest would use), as long as the
   * result stays within {@code pixelBudget}. Null if that is not possible (a step under 2, a file
   * not suited, no native library): then decode with ImageIO.
   */
  static BufferedImage decode(byte[] jpeg, int width, int height, int step, long pixelBudget) {
    int scale = Integer.highestOneBit(Math.min(step, 8));
    long pixels = (long) ceilDiv(width, scale) * ceilDiv(height, scale);
    if (scale < 2 || pixels > pixelBudget || !suited(jpeg) || !Native.LOADED) {
      return null;
    }
    int flag =
        switch (scale) {
          case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
          case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
          default -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
        };
    MatOfByte encoded = new MatOfByte(jpeg);
    Mat bgr = Imgcodecs.imdecode(encoded, flag | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
    try {
      if (bgr.empty() || bgr.type() != CvType.CV_8UC3) {
        return null;
      }
      // TYPE_3BYTE_BGR lays its pixels out as OpenCV does: one copy.
      BufferedImage image = new BufferedImage(bgr.cols(), bgr.rows(), BufferedImage.TYPE_3BYTE_BGR);
      bgr.get(0, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData());
      return image;
    } finally {
      bgr.release();
      encoded.release();
    }
  }

  /**
   * {@code image} as a baseline JPEG of {@code quality} (0 to 1, as ImageIO's), 4:2:0 like
   * ImageIO's writer; null where the native library is not available.
   */
  static byte[] encode(BufferedImage image, float quality) {
    if (!Native.LOADED) {
      return null;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] bgr = new byte[3 * rgb.length];
    for (int i = 0, j = 0; i < rgb.length; i++) {
      int p = rgb[i];
      bgr[j++] = (byte) p;
      bgr[j++] = (byte) (p >> 8);
      bgr[j++] = (byte) (p >> 16);
    }
    Mat mat = new Mat(h, w, CvType.CV_8UC3);
    MatOfByte out = new MatOfByte();
    MatOfInt params =
        new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, Math.round(Math.clamp(quality, 0f, 1f) * 100));
    try {
      mat.put(0, 0, bgr);
      return Imgcodecs.imencode(".jpg", mat, out, params) ? out.toArray() : null;
    } finally {
      mat.release();
      out.release();
      params.release();
    }
  }

  /** Whether {@code jpeg} is complete and of a kind decoded here as ImageIO would (see above). */
  static boolean suited(byte[] jpeg) {
    int n = jpeg.length;
    if (n < 4
        || (jpeg[0] & 0xFF) != 0xFF
        || (jpeg[1] & 0xFF) != 0xD8
        || (jpeg[n - 2] & 0xFF) != 0xFF
        || (jpeg[n - 1] & 0xFF) != 0xD9) {
      return false;
    }
    boolean frame = false;
    int at = 2;
    while (at + 4 <= n) {
      if ((jpeg[at] & 0xFF) != 0xFF) {
        return false; // not a marker where one must be
      }
      int marker = jpeg[at + 1] & 0xFF;
      if (marker == 0xFF) {
        at++; // fill byte
        continue;
      }
      int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
      if (length < 2 || at + 2 + length > n) {
        return false;
      }
      int data = at + 4;
      if (marker == 0xDA) {
        return frame; // start of scan: the headers are all read
      } else if (marker == 0xE2 && startsWith(jpeg, data, "ICC_PROFILE\0")) {
        return false;
      } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xCC) {
        int components = length >= 8 ? jpeg[data + 5] & 0xFF : 0;
        boolean dct = marker <= 0xC2; // baseline, extended, progressive (Huffman)
        if (!dct || (jpeg[data] & 0xFF) != 8 || (components != 1 && components != 3)) {
          return false;
        }
        frame = true;
      }
      at += 2 + length;
    }
    return false;
  }

  private static boolean startsWith(byte[] bytes, int at, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
    if (at + p.length > bytes.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (bytes[at + i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
