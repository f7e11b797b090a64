package app.tessera.engine.search;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns query texts and images into the hashing model's outputs (and re-ranking features). The real
 * implementation wraps the encoders and the active hash model; tests use fakes.
 */
public interface QueryEncoder {
  /** Code length of the model, equal to the indexes' code length. */
  int bits();

  EncodedQuery encodeText(String text);

  /** Encodes an image file (read only). */
  EncodedQuery encodeImage(Path file) throws IOException;

  /** Encodes an image given as encoded bytes (drag-and-drop, clipboard). */
  EncodedQuery encodeImage(byte[] imageBytes) throws IOException;
}
