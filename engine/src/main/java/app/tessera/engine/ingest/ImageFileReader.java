package app.tessera.engine.ingest;

import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What ingest reads from one image file, without a catalogue: its captions and labels (sidecars,
 * embedded metadata, the folder's name if asked) and, for content not seen before, its decoded
 * thumbnail and model input. {@link Indexer} reads every file through it, and so does any other
 * front end that must give the same items as {@code tessera index} (the Spark job, which reads from
 * Hadoop file systems and so passes sidecars and content it fetched itself).
 */
public final class ImageFileReader {
  /** Files up to this size are read into memory once (fingerprint, metadata and pixels). */
  public static final long IN_MEMORY_LIMIT = 96L << 20;

  /** A caption sidecar ({@code .txt}, {@code .caption}, {@code .xmp}) of an image file. */
  public interface Sidecar {
    /** The sidecar's file name, e.g. {@code IMG_1.txt}. */
    String name();

    /** Opens its content (read-only). */
    InputStream open() throws IOException;

    /** A sidecar on the local file system. */
    static Sidecar of(Path file) {
      return new Sidecar() {
        @Override
        public String name() {
          return file.getFileName().toString();
        }

        @Override
        public InputStream open() throws IOException {
          return Files.newInputStream(file);
        }
      };
    }
  }

  /** What a file gave: captions and labels, and the decoded image when asked for. */
  public record Content(Extracted extracted, ImageDecoder.Decoded decoded) {}

  private final ImageDecoder decoder;
  private final boolean labelsFromFolders;

  public ImageFileReader(ImageDecoder.Sizes sizes, boolean labelsFromFolders) {
    this.decoder = new ImageDecoder(sizes);
    this.labelsFromFolders = labelsFromFolders;
  }

  /** Whether ingest takes a file of this name for an image (by extension). */
  public static boolean isImage(String fileName) {
    return FileScanner.isImage(fileName);
  }

  /** Whether a file of this name can be a caption sidecar. */
  public static boolean isSidecar(String fileName) {
    return FileScanner.SIDECAR_EXTENSIONS.contains(FileScanner.ext(fileName));
  }

  /**
   * The lower-case names of the sidecars an image file may have in its folder, in the order they
   * are read: {@code stem.txt}, {@code stem.caption}, {@code stem.xmp}, then the same after the
   * whole name ({@code IMG_1.jpg.txt}). Folder entries match case-insensitively.
   */
  public static List<String> sidecarNames(String imageFileName) {
    String name = imageFileName.toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    List<String> out = new ArrayList<>(6);
    for (String base : new String[] {stem, name}) {
      for (String extension : new String[] {".txt", ".caption", ".xmp"}) {
        if (!out.contains(base + extension)) {
          out.add(base + extension);
        }
      }
    }
    return out;
  }

  /**
   * The stamp of an image's sidecars, folded in their {@link #sidecarNames} order from 0: a scan
   * re-reads an unchanged image's captions when its sidecars' stamp changed. Whoever lists files (a
   * scan, the Spark job) stamps them alike.
   */
  public static long sidecarStamp(long stamp, String sidecarName, long size, long mtimeNs) {
    return 31 * stamp + (sidecarName.hashCode() * 31L + size) * 31L + mtimeNs;
  }

  /**
   * Whether ingest reads a file of this name and size whole into memory (fingerprint, metadata and
   * pixels from the same bytes); larger files are decoded from the file itself. Camera RAW files
   * may be four times larger (their preview sits anywhere in them).
   */
  public static boolean readWhole(String fileName, long size) {
    String ext = FileScanner.ext(fileName);
    long limit = ImageDecoder.RAW_EXTENSIONS.contains(ext) ? 4 * IN_MEMORY_LIMIT : IN_MEMORY_LIMIT;
    return size <= limit;
  }

  /**
   * Reads one image file: its embedded metadata, its {@code sidecars} and, with {@code decode}, its
   * pixels (EXIF orientation applied).
   *
   * @param file the file; only its name is used when {@code bytes} is given
   * @param bytes the whole content, or null to read {@code file} itself (read-only)
   * @param folder the name of the folder the file is in (null at a root): a label if asked for
   * @throws DecodeException when {@code decode} is asked and the pixels cannot be had
   */
  public Content read(
      Path file, byte[] bytes, List<Sidecar> sidecars, String folder, boolean decode)
      throws DecodeException {
    MetadataReader.Embedded embedded = MetadataReader.embedded(file, bytes);
    List<NewCaption> captions = new ArrayList<>();
    List<NewLabel> labels = new ArrayList<>();
    MetadataReader.sidecars(sidecars, captions, labels);
    captions.addAll(embedded.captions());
    labels.addAll(embedded.labels());
    if (labelsFromFolders && folder != null) {
      labels.add(new NewLabel("folder", folder));
    }
    Extracted extracted = new Extracted(MetadataReader.distinct(captions), labels);
    ImageDecoder.Decoded decoded =
        decode ? decoder.decode(file, bytes, embedded.orientation()) : null;
    return new Content(extracted, decoded);
  }

  /** The reason a file could not be read, as {@code tessera index} reports it. */
  public static String failure(Throwable e) {
    return switch (e) {
      case DecodeException d -> d.getMessage();
      case NoSuchFileException n -> "vanished while indexing";
      case AccessDeniedException a -> "permission denied";
      case IOException io -> "unreadable: " + io.getMessage();
      case OutOfMemoryError oom -> "out of memory while reading";
      default -> "unexpected error: " + e;
    };
  }
}
