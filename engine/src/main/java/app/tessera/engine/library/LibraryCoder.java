package app.tessera.engine.library;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.ModelStore;
import app.tessera.engine.store.StoredImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Brings a library's codes up to date for one model bundle: encodes the items that have no cached
 * features for the bundle's encoders yet (images from their stored model inputs, so no file is read
 * again; captions from their text), then hashes every cached feature into the model's codes.
 * Re-running after an index run only encodes what is new; hashing cached features is cheap.
 */
public final class LibraryCoder {
  private static final int BATCH = 64;

  private LibraryCoder() {}

  /** What one update did. */
  public record Result(long modelId, int imagesEncoded, int captionsEncoded, int codes) {}

  /**
   * The registry id of {@code bundle} in this library, registering it on first use (models are
   * identified by their bundle name).
   */
  public static long register(Catalog catalog, ModelBundle bundle) {
    ModelStore models = new ModelStore(catalog);
    ModelBundle.Manifest m = bundle.manifest();
    Optional<ModelStore.Model> known =
        models.list().stream().filter(model -> model.name().equals(m.name())).findFirst();
    if (known.isPresent()) {
      return known.get().id();
    }
    return models.add(
        new ModelStore.Model(
            0,
            m.name(),
            m.method(),
            m.bits(),
            bundle.imageEncoder().id(),
            bundle.textEncoder().id(),
            m.description(),
            null,
            0,
            bundle.dir().toAbsolutePath().toString(),
            null));
  }

  /** Encodes what is missing and rewrites the bundle's codes; {@code progress} gets short lines. */
  public static Result update(Catalog catalog, ModelBundle bundle, Consumer<String> progress) {
    long modelId = register(catalog, bundle);
    FeatureStore features = new FeatureStore(catalog);
    ItemStore items = new ItemStore(catalog);
    int images = encodeImages(features, items, bundle, progress);
    int captions = encodeCaptions(features, items, bundle, progress);

    Map<Long, float[]> imageFeatures = features.all(bundle.imageEncoder().id());
    Map<Long, float[]> captionFeatures = features.all(bundle.textEncoder().id());
    int bits = bundle.hashModel().bits();
    int words = BinaryCodes.wordsPerCode(bits);
    int n = imageFeatures.size() + captionFeatures.size();
    long[] ids = new long[n];
    long[] codes = new long[n * words];
    int at = hash(imageFeatures, true, bundle, ids, codes, 0, words);
    hash(captionFeatures, false, bundle, ids, codes, at, words);
    new CodeStore(catalog).replaceAll(modelId, ids, codes, bits);
    progress.accept(n + " codes of " + bits + " bits for model " + bundle.manifest().name());
    return new Result(modelId, images, captions, n);
  }

  private static int encodeImages(
      FeatureStore features, ItemStore items, ModelBundle bundle, Consumer<String> progress) {
    String encoder = bundle.imageEncoder().id();
    List<Long> missing = features.missing(encoder, "image");
    int done = 0;
    for (int from = 0; from < missing.size(); from += BATCH) {
      long[] batch = ids(missing, from);
      Map<Long, StoredImage> inputs = items.modelInputs(batch);
      List<Long> encoded = new ArrayList<>();
      List<BufferedImage> pixels = new ArrayList<>();
      for (long id : batch) {
        StoredImage input = inputs.get(id);
        if (input != null) { // images that failed to decode have no model input
          encoded.add(id);
          pixels.add(input.toImage());
        }
      }
      if (!pixels.isEmpty()) {
        float[][] vectors = bundle.imageEncoder().encode(pixels);
        features.put(encoder, encoded.stream().mapToLong(Long::longValue).toArray(), vectors);
        done += pixels.size();
      }
      progress.accept("encoded " + done + " of " + missing.size() + " images");
    }
    return done;
  }

  private static int encodeCaptions(
      FeatureStore features, ItemStore items, ModelBundle bundle, Consumer<String> progress) {
    String encoder = bundle.textEncoder().id();
    List<Long> missing = features.missing(encoder, "caption");
    if (missing.isEmpty()) {
      return 0;
    }
    Map<Long, String> texts = new HashMap<>();
    for (ItemStore.CaptionItem caption : items.captions()) {
      texts.put(caption.id(), caption.text());
    }
    int done = 0;
    for (int from = 0; from < missing.size(); from += BATCH) {
      long[] batch = ids(missing, from);
      List<String> batchTexts = new ArrayList<>(batch.length);
      for (long id : batch) {
        batchTexts.add(texts.getOrDefault(id, ""));
      }
      features.put(encoder, batch, bundle.textEncoder().encode(batchTexts));
      done += batch.length;
      progress.accept("encoded " + done + " of " + missing.size() + " captions");
    }
    return done;
  }

  /** Hashes features in batches into {@code ids}/{@code codes} from row {@code at}. */
  private static int hash(
      Map<Long, float[]> features,
      boolean images,
      ModelBundle bundle,
      long[] ids,
      long[] codes,
      int at,
      int words) {
    long[] keys = features.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    for (int from = 0; from < keys.length; from += 4096) {
      long[] batch = Arrays.copyOfRange(keys, from, Math.min(keys.length, from + 4096));
      float[][] rows = new float[batch.length][];
      for (int i = 0; i < batch.length; i++) {
        rows[i] = features.get(batch[i]);
      }
      long[] batchCodes =
          images ? bundle.hashModel().encodeImages(rows) : bundle.hashModel().encodeTexts(rows);
      System.arraycopy(batch, 0, ids, at, batch.length);
      System.arraycopy(batchCodes, 0, codes, at * words, batchCodes.length);
      at += batch.length;
    }
    return at;
  }

  private static long[] ids(List<Long> all, int from) {
    int to = Math.min(all.size(), from + BATCH);
    long[] out = new long[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = all.get(i);
    }
    return out;
  }
}
