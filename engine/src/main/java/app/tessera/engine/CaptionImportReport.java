package app.tessera.engine;

import java.util.List;

/**
 * What a caption import (a CSV of image, caption, labels and attributes) did.
 *
 * @param rows data rows read
 * @param matched rows whose image is in the library
 * @param captionsAdded new caption items
 * @param captionsPresent captions that were already there (same image, source csv, same text)
 * @param labelsAdded new (image, label) pairs
 * @param attributesSet attribute values written or changed
 * @param attributeConflicts rows that gave an image a different value for an attribute than an
 *     earlier row (identical images in several rows): the first row's value is kept
 * @param indexed the indexing run done first, or null
 * @param failures rows that could not be imported, and why
 */
public record CaptionImportReport(
    int rows,
    int matched,
    int captionsAdded,
    int captionsPresent,
    int labelsAdded,
    int attributesSet,
    int attributeConflicts,
    IndexReport indexed,
    List<IndexReport.Failure> failures) {
  public CaptionImportReport {
    failures = List.copyOf(failures);
  }
}
