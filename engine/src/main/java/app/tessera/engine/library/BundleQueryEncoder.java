package app.tessera.engine.library;

import app.tessera.engine.ingest.DecodeException;
import app.tessera.engine.ingest.ImageDecoder;
import app.tessera.engine.search.EncodedQuery;
import app.tessera.engine.search.QueryEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Encodes queries with a model bundle. A query image goes through the same decoder as ingest
 * (orientation, alpha on white, the same model-input crop), so a file that is in the library
 * encodes to the code it has there. The query keeps the hash model's real-valued outputs (their
 * signs are the code) and its features, for ranking the Hamming candidates.
 */
final class BundleQueryEncoder implements QueryEncoder {
  private final ModelBundle bundle;
  private final ImageDecoder decoder = new ImageDecoder(ImageDecoder.Sizes.DEFAULT);

  BundleQueryEncoder(ModelBundle bundle) {
    this.bundle = bundle;
  }

  @Override
  public int bits() {
    return bundle.hashModel().bits();
  }

  // Encoders hold native state and are used by one thread at a time.
  @Override
  public synchronized EncodedQuery encodeText(String text) {
    float[][] features = bundle.textEncoder().encode(List.of(text));
    return new EncodedQuery(bundle.hashModel().embedTexts(features)[0], features[0]);
  }

  @Override
  public EncodedQuery encodeImage(Path file) throws IOException {
    return encodeImage(file, Files.readAllBytes(file));
  }

  @Override
  public EncodedQuery encodeImage(byte[] imageBytes) throws IOException {
    return encodeImage(Path.of("query-image"), imageBytes);
  }

  private synchronized EncodedQuery encodeImage(Path name, byte[] bytes) throws IOException {
    ImageDecoder.Decoded decoded;
    try {
      decoded = decoder.decode(name, bytes); // applies the image's own EXIF orientation
    } catch (DecodeException e) {
      throw new IOException("cannot read the query image " + name + ": " + e.getMessage(), e);
    }
    float[][] features = bundle.imageEncoder().encode(List.of(decoded.modelInput().toImage()));
    return new EncodedQuery(bundle.hashModel().embedImages(features)[0], features[0]);
  }
}
