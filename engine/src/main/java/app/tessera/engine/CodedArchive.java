package app.tessera.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An archive coded elsewhere (the Spark job: docs/scale-out.md), as a library imports it: the
 * models its codes are of, the sizes its thumbnails and model inputs were made at, and, streamed
 * one by one, its {@link Entry}s.
 *
 * @param labelsFromFolders whether the entries' labels include their folder's name (as {@code
 *     tessera index --labels-from-folders})
 */
public record CodedArchive(
    List<Model> models, int thumbnailSize, int modelInputSize, boolean labelsFromFolders) {
  public CodedArchive {
    models = List.copyOf(models);
  }

  /**
   * A hashing model the entries carry codes of, known by its bundle's name.
   *
   * @param bundleDir the bundle on this machine, or null when it is not here (then searches need it
   *     from elsewhere, e.g. the shipped default when the names match)
   */
  public record Model(
      String name,
      String method,
      int bits,
      String imageEncoder,
      String textEncoder,
      String description,
      Path bundleDir) {}

  /**
   * One image file of the archive, as ingest would have read it.
   *
   * @param root the folder it was found under, on this machine (it need not be mounted here)
   * @param relPath its path under {@code root}, '/'-separated
   * @param size bytes; -1 when the file was never found (a manifest named it)
   * @param mtimeNs modification time in nanoseconds
   * @param sidecarStamp the stamp of its caption sidecars' names, sizes and times, as a scan makes
   *     it ({@code FileScanner})
   * @param fingerprint the content's fingerprint, null when it failed
   * @param failure why it could not be read (then {@code image} is null), or null
   */
  public record Entry(
      Path root,
      String relPath,
      long size,
      long mtimeNs,
      long sidecarStamp,
      String fingerprint,
      String failure,
      Image image) {}

  /**
   * What a readable file held: the image row, its thumbnail and model input ({@code modelInput}
   * null when the thumbnail serves as both), its captions and labels (from the file and, source
   * {@code csv}, from a manifest), a manifest's attributes with the order of the file's first
   * manifest row ({@code manifestRow}, -1 without one: of several files with one content, the
   * earliest row's attributes stand, as {@code import-captions} keeps the first row's), and its
   * features (by encoder id, may be empty) and codes (by model name, packed {@code BinaryCodes}
   * words).
   */
  public record Image(
      String format,
      int width,
      int height,
      Picture thumbnail,
      Picture modelInput,
      List<Caption> captions,
      List<Label> labels,
      Map<String, String> attributes,
      long manifestRow,
      Map<String, float[]> features,
      Map<String, long[]> codes) {}

  /** An encoded picture (jpeg or png). */
  public record Picture(int width, int height, String format, byte[] bytes) {}

  /** A caption with its features (by encoder id, may be empty) and codes (by model name). */
  public record Caption(
      String source,
      String field,
      String text,
      String note,
      Map<String, float[]> features,
      Map<String, long[]> codes) {}

  /** A label with its source (xmp, iptc, folder, csv). */
  public record Label(String source, String name) {}
}
