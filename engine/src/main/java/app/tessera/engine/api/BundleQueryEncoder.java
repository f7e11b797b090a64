package app.tessera.engine.api;

import app.tessera.engine.PathText;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.ingest.DecodeException;
import app.tessera.engine.ingest.ImageDecoder;
import app.tessera.engine.search.EncodedQuery;
import app.tessera.engine.search.QueryEncoder;
import java.awt.image.BufferedImage;
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
    List<String> query = List.of(text);
    float[][] features = bundle.textEncoder().encode(query);
    HashModel model = bundle.hashModel();
    float[][] hash =
        model.readsTokens() // the query's own words only
            ? model.embedTexts(features, bundle.textEncoder().encodeTokens(query))
            : model.embedTexts(features);
    return new EncodedQuery(hash[0], features[0]);
  }

  /** Query images up to this size are read into memory; larger ones are decoded from the file. */
  private static final long IN_MEMORY_LIMIT = 96L << 20;

  @Override
  public EncodedQuery encodeImage(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new TesseraException(Kind.NOT_FOUND, file, "no such image: " + PathText.display(file));
    }
    if (!Files.isRegularFile(file)) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          file,
          PathText.display(file) + " is a folder, not an image: give one image file");
    }
    if (!Files.isReadable(file)) {
      throw new TesseraException(
          Kind.NOT_FOUND, file, "cannot read " + PathText.display(file) + ": permission denied");
    }
    return encodeImage(file, Files.size(file) <= IN_MEMORY_LIMIT ? Files.readAllBytes(file) : null);
  }

  @Override
  public EncodedQuery encodeImage(byte[] imageBytes) throws IOException {
    return encodeImage(Path.of("query-image"), imageBytes);
  }

  private synchronized EncodedQuery encodeImage(Path name, byte[] bytes) {
    ImageDecoder.Decoded decoded;
    try {
      // applies the image's own EXIF orientation; a huge image is decoded subsampled
      decoded = bytes != null ? decoder.decode(name, bytes) : decoder.decode(name, null, 1);
    } catch (DecodeException e) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          name,
          "cannot use " + PathText.display(name) + " as a query image: " + e.getMessage(),
          e);
    }
    List<BufferedImage> query = List.of(decoded.modelInput().toImage());
    float[][] features = bundle.imageEncoder().encode(query);
    HashModel model = bundle.hashModel();
    float[][] hash =
        model.readsTokens() // the query's own regions only
            ? model.embedImages(features, bundle.imageEncoder().encodeTokens(query))
            : model.embedImages(features);
    if (hash[0].length != bits()) {
      throw new IllegalStateException("the model returned outputs of the wrong length");
    }
    return new EncodedQuery(hash[0], features[0]);
  }
}
