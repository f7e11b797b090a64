package app.tessera.engine.ingest;

import java.util.List;

/**
 * What a file says about itself besides its pixels: captions and labels, each with its source.
 *
 * @param captions file-derived captions (sidecar, XMP, IPTC, EXIF), without duplicates
 * @param labels labels with their source (xmp, iptc, folder)
 */
public record Extracted(List<Caption> captions, List<Label> labels) {
  /**
   * A caption; {@code source} is sidecar, xmp, iptc, exif or csv; {@code note} flags lossy text.
   */
  public record Caption(String source, String field, String text, String note) {}

  /** A label with its source. */
  public record Label(String source, String name) {}
}
