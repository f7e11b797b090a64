package app.tessera.engine.ingest;

import app.tessera.engine.store.StoredImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decodes one image file, once, into its thumbnail and its model input.
 *
 * <p>Memory is bounded: the header gives the dimensions first, and the pixels are decoded with
 * source subsampling so that the raster never exceeds {@link Sizes#pixelBudget()} pixels and is
 * only about twice the largest size needed (a 20000x20000 PNG or a 100 MP JPEG never exists at full
 * size). Formats come from the ImageIO plugins on the class path (TwelveMonkeys JPEG incl.
 * CMYK/YCCK, TIFF, WebP; the JDK's PNG, GIF, BMP). Camera RAW and HEIC files give their largest
 * embedded JPEG preview, if they have one. Alpha is composited on white and EXIF orientation
 * applied.
 */
public final class ImageDecoder {
  /** The sizes produced and the memory bounds. */
  public record Sizes(int thumbnail, int modelInput, long pixelBudget, long maxPixels) {
    /** 256 px thumbnails, 224x224 model input, 8 MP decode budget, 1 GP maximum declared size. */
    public static final Sizes DEFAULT = new Sizes(256, 224, 8_000_000L, 1_000_000_000L);
  }

  /** A decoded image, ready to store. */
  public record Decoded(
      String format, int width, int height, StoredImage thumbnail, StoredImage modelInput) {}

  static final java.util.Set<String> RAW_EXTENSIONS =
      java.util.Set.of(
          "cr2", "cr3", "crw", "nef", "nrw", "arw", "srf", "sr2", "dng", "orf", "rw2", "raf", "pef",
          "srw", "x3f", "3fr", "iiq", "erf", "mrw", "kdc", "dcr", "rwl");
  static final java.util.Set<String> HEIF_EXTENSIONS =
      java.util.Set.of("heic", "heif", "hif", "avif");

  /** Source formats stored losslessly (PNG); photographic formats are stored as JPEG. */
  private static final java.util.Set<String> LOSSLESS = java.util.Set.of("png", "gif", "bmp");

  private final Sizes sizes;

  public ImageDecoder(Sizes sizes) {
    this.sizes = sizes;
  }

  public Sizes sizes() {
    return sizes;
  }

  /**
   * Decodes {@code file}, whose content is {@code bytes} (or null to read the file itself,
   * read-only, for very large files), applying EXIF {@code orientation}.
   */
  public Decoded decode(Path file, byte[] bytes, int orientation) throws DecodeException {
    String ext = extension(file);
    if (bytes != null && bytes.length == 0) {
      throw new DecodeException("empty file (0 bytes)");
    }
    try {
      if (RAW_EXTENSIONS.contains(ext) || HEIF_EXTENSIONS.contains(ext)) {
        return decodePreview(file, bytes, ext, orientation);
      }
      Decoded icon = bytes != null && orientation == 1 ? smallSquarePng(bytes) : null;
      if (icon != null) {
        return icon;
      }
      try (ImageInputStream in = open(file, bytes)) {
        return decode(in, orientation, null, bytes);
      }
    } catch (DecodeException e) {
      throw e;
    } catch (IOException e) {
      throw new DecodeException(reason(e), e);
    } catch (OutOfMemoryError e) {
      throw new DecodeException("out of memory while decoding", e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new DecodeException("damaged or unsupported image: " + reason(e), e);
    }
  }

  /**
   * A small square opaque PNG, both thumbnail and model input as it is (its critical chunks). Not
   * even decoded, which is most of the cost of indexing an icon: its image data is checked instead
   * (see {@link FastPng#storableAsIs}), so a damaged file still fails. Null for any other file.
   */
  private Decoded smallSquarePng(byte[] bytes) {
    int[] size = FastPng.size(bytes);
    if (size == null
        || size[0] != size[1]
        || size[0] > Math.min(sizes.thumbnail(), sizes.modelInput())) {
      return null;
    }
    StoredImage whole = FastPng.storableAsIs(bytes, size[0], size[1], false);
    return whole == null ? null : new Decoded("png", size[0], size[1], whole, whole);
  }

  /**
   * Decodes an image held in memory (e.g. a query image), applying its own EXIF orientation; {@code
   * name} only gives the extension and error messages.
   */
  public Decoded decode(Path name, byte[] bytes) throws DecodeException {
    return decode(name, bytes, MetadataReader.embedded(name, bytes).orientation());
  }

  /** Decodes only (no thumbnail, no model input), as ingest does: the decode-only benchmark. */
  public BufferedImage decodePixels(Path file, byte[] bytes) throws DecodeException {
    try (ImageInputStream in = open(file, bytes)) {
      ImageReader reader = reader(in);
      try {
        return readSubsampled(reader, normaliseFormat(formatOf(reader)), bytes);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new DecodeException(reason(e), e);
    }
  }

  private static ImageInputStream open(Path file, byte[] bytes) throws IOException {
    return bytes != null
        ? new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))
        : new FileImageInputStream(new RandomAccessFile(file.toFile(), "r"));
  }

  private static ImageReader reader(ImageInputStream in) throws DecodeException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new DecodeException("not a supported image (unknown or damaged header)");
    }
    ImageReader reader = readers.next();
    reader.setInput(in, true, true);
    return reader;
  }

  /**
   * Decodes image 0 of {@code in} into a thumbnail and a model input; {@code source} is the file's
   * content when it is held in memory (null otherwise).
   */
  private Decoded decode(ImageInputStream in, int orientation, String formatOverride, byte[] source)
      throws IOException, DecodeException {
    ImageReader reader = reader(in);
    try {
      String format = normaliseFormat(formatOverride != null ? formatOverride : formatOf(reader));
      int width = orientation >= 5 ? reader.getHeight(0) : reader.getWidth(0);
      int height = orientation >= 5 ? reader.getWidth(0) : reader.getHeight(0);
      BufferedImage decoded = readSubsampled(reader, format, source);
      // A small opaque PNG that needs no scaling is its own thumbnail (its critical chunks): the
      // same pixels without flattening and compressing them again.
      StoredImage asIs =
          "png".equals(format)
                  && source != null
                  && orientation == 1
                  && Math.max(width, height) <= sizes.thumbnail()
              ? FastPng.storableAsIs(source, decoded.getWidth(), decoded.getHeight(), true)
              : null;
      boolean thumbAsIs = asIs != null;
      boolean inputAsIs = asIs != null && width == height && width <= sizes.modelInput();
      if (thumbAsIs && inputAsIs) {
        return new Decoded(format, width, height, asIs, asIs);
      }
      BufferedImage upright =
          Resample.orient(workingCopy(decoded), orientation); // small: orient after shrinking
      boolean lossless = LOSSLESS.contains(format);
      BufferedImage thumb = Resample.fit(upright, sizes.thumbnail());
      // Never enlarged: encoders scale to their own input size, and a 64 px icon blown up to 224
      // would cost 12x the pixels to store and compress for no information.
      int side = Math.min(upright.getWidth(), upright.getHeight());
      BufferedImage input = Resample.centreSquare(upright, Math.min(sizes.modelInput(), side));
      StoredImage storedInput = encode(input, lossless, 0.95f);
      // Equal sizes happen only for a square source of at most 224 px, where both are the
      // whole image: encode it once (small files are dominated by these fixed costs).
      StoredImage storedThumb =
          thumbAsIs
              ? asIs
              : thumb.getWidth() == input.getWidth() && thumb.getHeight() == input.getHeight()
                  ? storedInput
                  : encode(thumb, lossless, 0.85f);
      return new Decoded(format, width, height, storedThumb, storedInput);
    } finally {
      reader.dispose();
    }
  }

  /**
   * Reads image 0 (the first frame) subsampled to the budget; warnings count as damage. A JPEG held
   * in memory ({@code source}, else null) is decoded at a reduced size where it can be ({@link
   * NativeJpeg}).
   */
  private BufferedImage readSubsampled(ImageReader reader, String format, byte[] source)
      throws IOException, DecodeException {
    int w = reader.getWidth(0);
    int h = reader.getHeight(0);
    long pixels = (long) w * h;
    if (w <= 0 || h <= 0) {
      throw new DecodeException("image has no pixels (" + w + "x" + h + ")");
    }
    if (pixels > sizes.maxPixels()) {
      throw new DecodeException(
          "too large: " + w + "x" + h + " exceeds " + sizes.maxPixels() / 1_000_000 + " MP");
    }
    int step = subsampling(w, h);
    BufferedImage scaled =
        "jpeg".equals(format) && source != null
            ? NativeJpeg.decode(source, w, h, step, sizes.pixelBudget())
            : null;
    if (scaled != null) {
      return scaled;
    }
    ImageReadParam param = reader.getDefaultReadParam();
    if (step > 1) {
      param.setSourceSubsampling(step, step, 0, 0);
    }
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((from, warning) -> warnings.add(warning));
    BufferedImage image = reader.read(0, param);
    for (String warning : warnings) {
      // "Corrupt JPEG data: N extraneous bytes" is common and harmless; a truncated file is not.
      // A bad colour profile is not damage either: the reader ignores it and decodes the pixels.
      String lower = warning.toLowerCase(Locale.ROOT);
      if ((lower.contains("premature end") || lower.contains("truncated"))
          && !lower.contains("icc")) {
        throw new DecodeException("damaged image data: " + warning);
      }
    }
    return image;
  }

  /**
   * The subsampling step: keeps at least twice the sizes needed (so the final bilinear halvings
   * average away aliasing) and at most the pixel budget.
   */
  int subsampling(int w, int h) {
    int longSide = Math.max(w, h);
    int shortSide = Math.min(w, h);
    int forQuality =
        Math.min(longSide / (2 * sizes.thumbnail()), shortSide / (2 * sizes.modelInput()));
    int forBudget = (int) Math.ceil(Math.sqrt((double) w * h / sizes.pixelBudget()));
    return Math.max(1, Math.max(forQuality, forBudget));
  }

  /** Shrinks the decoded raster to the working size (opaque RGB) before any other step. */
  private BufferedImage workingCopy(BufferedImage decoded) {
    int w = decoded.getWidth();
    int h = decoded.getHeight();
    int longSide = Math.max(w, h);
    int shortSide = Math.min(w, h);
    // The smallest halving that still covers both outputs.
    int f = 1;
    while (longSide / (2 * f) >= sizes.thumbnail() && shortSide / (2 * f) >= sizes.modelInput()) {
      f *= 2;
    }
    if (f == 1 && decoded.getType() == BufferedImage.TYPE_INT_RGB) {
      return decoded;
    }
    return Resample.scale(decoded, Math.max(1, w / f), Math.max(1, h / f));
  }

  /** RAW/HEIC: the largest embedded JPEG preview. */
  private Decoded decodePreview(Path file, byte[] bytes, String ext, int orientation)
      throws IOException, DecodeException {
    byte[] content = bytes != null ? bytes : java.nio.file.Files.readAllBytes(file);
    int best = -1;
    long bestArea = 0;
    for (int at = 0; at + 3 < content.length; at++) {
      if ((content[at] & 0xFF) == 0xFF
          && (content[at + 1] & 0xFF) == 0xD8
          && (content[at + 2] & 0xFF) == 0xFF) {
        long area = jpegArea(content, at);
        if (area > bestArea) {
          bestArea = area;
          best = at;
        }
      }
    }
    if (best < 0) {
      throw new DecodeException(
          HEIF_EXTENSIONS.contains(ext)
              ? "HEIC/HEIF/AVIF without an embedded JPEG preview (no HEVC/AV1 decoder available)"
              : "camera RAW without an embedded JPEG preview (RAW demosaicing is not supported)");
    }
    try (ImageInputStream in =
        new MemoryCacheImageInputStream(
            new ByteArrayInputStream(content, best, content.length - best))) {
      return decode(in, orientation, ext + "-preview", null);
    }
  }

  private static long jpegArea(byte[] content, int at) {
    try (ImageInputStream in =
        new MemoryCacheImageInputStream(
            new ByteArrayInputStream(content, at, content.length - at))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
      if (!readers.hasNext()) {
        return 0;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return (long) reader.getWidth(0) * reader.getHeight(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static StoredImage encode(BufferedImage image, boolean png, float jpegQuality)
      throws IOException {
    if (png) {
      return new StoredImage(image.getWidth(), image.getHeight(), "png", FastPng.encode(image));
    }
    byte[] fast = NativeJpeg.encode(image, jpegQuality);
    if (fast != null) {
      return new StoredImage(image.getWidth(), image.getHeight(), "jpeg", fast);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
    String format = "jpeg";
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(jpegQuality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return new StoredImage(image.getWidth(), image.getHeight(), format, bytes.toByteArray());
  }

  private static String formatOf(ImageReader reader) {
    return reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(Locale.ROOT);
  }

  private static String normaliseFormat(String format) {
    return switch (format) {
      case "jpg", "jpeg", "jpeg-lossless", "jpeg_lossless" -> "jpeg";
      case "tif", "tiff" -> "tiff";
      default -> format;
    };
  }

  static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "vanished while indexing";
    }
    if (e instanceof java.io.EOFException) {
      return "truncated file (unexpected end of data)";
    }
    return message == null || message.isBlank() ? kind : message;
  }
}
