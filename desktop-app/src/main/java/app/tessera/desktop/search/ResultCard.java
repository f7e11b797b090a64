package app.tessera.desktop.search;

import java.nio.file.Path;

/**
 * One result as the UI shows it: an image (thumbnail bytes, may be null) or a caption, with its
 * Hamming distance and a 0-1 score.
 */
public record ResultCard(
    long itemId, Path path, String caption, byte[] thumbnail, int distance, double score) {}
