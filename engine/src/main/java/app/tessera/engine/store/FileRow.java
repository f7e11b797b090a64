package app.tessera.engine.store;

/**
 * A {@code files} row.
 *
 * @param fingerprint the content's fingerprint, null until read
 * @param itemId the image item it holds, null when it could not be indexed
 * @param failure why it could not be indexed, or null
 */
public record FileRow(
    long id,
    long rootId,
    String relPath,
    long size,
    long mtimeNs,
    String fingerprint,
    Long itemId,
    Presence presence,
    String failure,
    long sidecarStamp) {}
