package app.tessera.engine.api;

import app.tessera.engine.code.BinaryCodes;
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
 * encodes to the code it has there.
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
    long[] code =
        model.readsTokens() // the query's own words only
            ? model.encodeTexts(features, bundle.textEncoder().encodeTokens(query))
            : model.encodeTexts(features);
    return EncodedQuery.ofCode(code, bits(), features[0]);
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
    List<BufferedImage> query = List.of(decoded.modelInput().toImage());
    float[][] features = bundle.imageEncoder().encode(query);
    HashModel model = bundle.hashModel();
    long[] code =
        model.readsTokens() // the query's own regions only
            ? model.encodeImages(features, bundle.imageEncoder().encodeTokens(query))
            : model.encodeImages(features);
    if (code.length != BinaryCodes.wordsPerCode(bits())) {
      throw new IllegalStateException("the model returned a code of the wrong length");
    }
    return EncodedQuery.ofCode(code, bits(), features[0]);
  }
}
