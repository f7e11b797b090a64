package app.tessera.engine.store;

/**
 * A caption to store for an image.
 *
 * @param source sidecar, xmp, iptc, exif, csv or user
 * @param field where in its source it was found (e.g. dc:description), or null
 * @param note what was lossy about the text (truncated, invalid UTF-8 replaced), or null
 */
public record NewCaption(String source, String field, String text, String note) {}
