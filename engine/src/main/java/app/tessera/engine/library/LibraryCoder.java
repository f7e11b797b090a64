package app.tessera.engine.library;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.encode.ImageEncoder;
import app.tessera.engine.encode.TextEncoder;
import app.tessera.engine.encode.Tokens;
import app.tessera.engine.hashing.HashModel;
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
import java.util.function.Function;

/**
 * Brings a library's codes up to date for one model bundle: encodes the items that have no cached
 * features for the bundle's encoders yet (images from their stored model inputs, so no file is read
 * again; captions from their text), and their token features too when the bundle's hashing model
 * reads them, then hashes every cached feature into the model's codes. Re-running after an index
 * run only encodes what is new; hashing cached features is cheap.
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
    ImageEncoder imageEncoder = bundle.imageEncoder();
    TextEncoder textEncoder = bundle.textEncoder();
    int images = encodeImages(features, items, imageEncoder.id(), imageEncoder::encode, progress);
    int captions = encodeCaptions(features, items, textEncoder.id(), textEncoder::encode, progress);
    boolean tokens = bundle.hashModel().readsTokens();
    if (tokens) {
      encodeTokens(catalog, bundle, progress);
    }

    Map<Long, float[]> imageFeatures = features.all(imageEncoder.id());
    Map<Long, float[]> captionFeatures = features.all(textEncoder.id());
    Map<Long, float[]> imageTokens = tokens ? features.all(imageTokensId(bundle)) : null;
    Map<Long, float[]> captionTokens = tokens ? features.all(textTokensId(bundle)) : null;
    int bits = bundle.hashModel().bits();
    int words = BinaryCodes.wordsPerCode(bits);
    int n = imageFeatures.size() + captionFeatures.size();
    long[] ids = new long[n];
    long[] codes = new long[n * words];
    int at = hash(imageFeatures, imageTokens, true, bundle, ids, codes, 0, words);
    at = hash(captionFeatures, captionTokens, false, bundle, ids, codes, at, words);
    if (at < n) { // an item with a pooled feature but no tokens (none expected): not coded
      ids = Arrays.copyOf(ids, at);
      codes = Arrays.copyOf(codes, at * words);
      n = at;
    }
    new CodeStore(catalog).replaceAll(modelId, ids, codes, bits);
    progress.accept(n + " codes of " + bits + " bits for model " + bundle.manifest().name());
    return new Result(modelId, images, captions, n);
  }

  /**
   * Computes and caches the token features (image regions, caption words) of every item that has
   * none yet for the bundle's encoders: the same encoders as the pooled features, from the stored
   * model inputs and caption texts.
   */
  public static void encodeTokens(Catalog catalog, ModelBundle bundle, Consumer<String> progress) {
    FeatureStore features = new FeatureStore(catalog);
    ItemStore items = new ItemStore(catalog);
    encodeImages(
        features, items, imageTokensId(bundle), bundle.imageEncoder()::encodeTokens, progress);
    encodeCaptions(
        features, items, textTokensId(bundle), bundle.textEncoder()::encodeTokens, progress);
  }

  /** The cache id of the bundle's image region tokens. */
  static String imageTokensId(ModelBundle bundle) {
    ImageEncoder encoder = bundle.imageEncoder();
    return tokenShape(encoder.tokens(), encoder.id()).cacheId(encoder.id());
  }

  /** The cache id of the bundle's caption word tokens. */
  static String textTokensId(ModelBundle bundle) {
    TextEncoder encoder = bundle.textEncoder();
    return tokenShape(encoder.tokens(), encoder.id()).cacheId(encoder.id());
  }

  private static Tokens tokenShape(Optional<Tokens> tokens, String encoderId) {
    return tokens.orElseThrow(
        () ->
            new IllegalStateException(
                "the bundle's hashing model reads token features, and " + encoderId + " has none"));
  }

  private static int encodeImages(
      FeatureStore features,
      ItemStore items,
      String encoder,
      Function<List<BufferedImage>, float[][]> encode,
      Consumer<String> progress) {
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
        float[][] vectors = encode.apply(pixels);
        features.put(encoder, encoded.stream().mapToLong(Long::longValue).toArray(), vectors);
        done += pixels.size();
      }
      progress.accept("encoded " + done + " of " + missing.size() + " images (" + encoder + ")");
    }
    return done;
  }

  private static int encodeCaptions(
      FeatureStore features,
      ItemStore items,
      String encoder,
      Function<List<String>, float[][]> encode,
      Consumer<String> progress) {
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
      features.put(encoder, batch, encode.apply(batchTexts));
      done += batch.length;
      progress.accept("encoded " + done + " of " + missing.size() + " captions (" + encoder + ")");
    }
    return done;
  }

  /**
   * Hashes features (with their tokens when {@code tokens} is not null) in batches into {@code
   * ids}/{@code codes} from row {@code at}; returns the next free row.
   */
  private static int hash(
      Map<Long, float[]> features,
      Map<Long, float[]> tokens,
      boolean images,
      ModelBundle bundle,
      long[] ids,
      long[] codes,
      int at,
      int words) {
    long[] keys =
        features.keySet().stream()
            .filter(k -> tokens == null || tokens.containsKey(k))
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
    for (int from = 0; from < keys.length; from += 4096) {
      long[] batch = Arrays.copyOfRange(keys, from, Math.min(keys.length, from + 4096));
      float[][] rows = new float[batch.length][];
      float[][] tokenRows = tokens == null ? null : new float[batch.length][];
      for (int i = 0; i < batch.length; i++) {
        rows[i] = features.get(batch[i]);
        if (tokens != null) {
          tokenRows[i] = tokens.get(batch[i]);
        }
      }
      HashModel model = bundle.hashModel();
      long[] batchCodes =
          tokens == null
              ? (images ? model.encodeImages(rows) : model.encodeTexts(rows))
              : (images ? model.encodeImages(rows, tokenRows) : model.encodeTexts(rows, tokenRows));
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
