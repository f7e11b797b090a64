package app.tessera.engine;

/**
 * What {@code prune} deleted from a library: the rows of missing files, and the items no file holds
 * any more (images and their captions, with their labels, thumbnails, features and codes).
 */
public record PruneReport(int files, int items) {}
