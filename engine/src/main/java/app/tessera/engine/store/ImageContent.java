package app.tessera.engine.store;

/**
 * One decoded image content: its fingerprint, encoded size and format, its size after EXIF
 * orientation, and the thumbnail and model input made from it (the same object when one image
 * serves as both).
 */
public record ImageContent(
    String fingerprint,
    long byteSize,
    String format,
    int width,
    int height,
    StoredImage thumbnail,
    StoredImage modelInput) {}
