package app.tessera.engine.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the library knows of one image, for a preview ({@link Library#details}).
 *
 * @param path the file to show: a present one if any, else the first known
 * @param online whether some file holding it is present now
 * @param byteSize the size of the image's content in bytes
 * @param date when it was made, as far as its files tell (their latest modification time)
 * @param files every library file holding this content (copies), present ones first
 * @param captions every caption, with where it was read
 * @param labels every label, with where it came from
 * @param attributes free-form attributes (e.g. {@code split} from a dataset manifest)
 */
public record ItemDetails(
    long itemId,
    Path path,
    boolean online,
    String format,
    int width,
    int height,
    long byteSize,
    Instant date,
    List<FileCopy> files,
    List<Caption> captions,
    List<Label> labels,
    Map<String, String> attributes) {
  public ItemDetails {
    files = List.copyOf(files);
    captions = List.copyOf(captions);
    labels = List.copyOf(labels);
    attributes = Map.copyOf(attributes);
  }

  /** A library file holding the image: {@code presence} is present, missing or offline. */
  public record FileCopy(Path path, long byteSize, Instant modified, String presence) {}

  /**
   * A caption and its source: sidecar, xmp, iptc, exif, csv or user.
   *
   * @param field the metadata field it was read from (e.g. dc:description), or null
   */
  public record Caption(long captionId, String text, String source, String field) {}

  /** A label and its source: xmp, iptc, csv, folder or user. */
  public record Label(String name, String source) {}
}
