package app.tessera.engine.api;

import app.tessera.engine.Cancellation;
import app.tessera.engine.encode.ImageEncoder;
import app.tessera.engine.encode.TextEncoder;
import app.tessera.engine.encode.Tokens;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.ItemKind;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.StoredImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Codes what one model is missing: every item (image or caption) of the library without a code of
 * that model gets one; nothing else is touched. Features cached in the catalogue are hashed as they
 * are; the others are computed first (images from their stored model inputs, so no file is read
 * again; captions from their text) and cached. A model that reads token-level features (SCAHN) gets
 * them the same way, through the bundle's own encoders, cached beside the pooled ones. Each chunk
 * is committed on its own, so the job can stop at any time and a later run resumes where it
 * stopped; searches with other models (their own codes) are unaffected meanwhile.
 */
final class Coder {
  /** Inputs per encoder call. */
  private static final int ENCODE_BATCH = 64;

  /** Items per commit when they must be encoded first (about a second of CPU work). */
  private static final int ENCODED_CHUNK = 256;

  /** Items per commit when their features are cached (hashing only). */
  private static final int CACHED_CHUNK = 4096;

  /** Codes committed together: {@code ids[i]} owns code {@code i} (packed). */
  record Batch(long[] ids, long[] codes) {}

  /** Items of the library without a code of the model. */
  record Backlog(long[] images, long[] captions) {
    int size() {
      return images.length + captions.length;
    }
  }

  /**
   * One cached feature of images and captions: its cache ids and the encoder calls that compute it
   * for a batch.
   */
  record Feature(
      String imageId,
      Function<List<BufferedImage>, float[][]> images,
      String captionId,
      Function<List<String>, float[][]> captions) {
    String id(ItemKind kind) {
      return kind == ItemKind.IMAGE ? imageId : captionId;
    }

    /** The pooled features of {@code encoders}. */
    static Feature pooled(EncoderPair encoders) {
      ImageEncoder image = encoders.imageEncoder();
      TextEncoder text = encoders.textEncoder();
      return new Feature(image.id(), image::encode, text.id(), text::encode);
    }

    /**
     * The token-level features of {@code encoders} (image regions, caption words).
     *
     * @throws IllegalArgumentException when an encoder has none
     */
    static Feature tokens(EncoderPair encoders) {
      ImageEncoder image = encoders.imageEncoder();
      TextEncoder text = encoders.textEncoder();
      return new Feature(
          Tokens.required(image.tokens(), image.id()).cacheId(image.id()),
          image::encodeTokens,
          Tokens.required(text.tokens(), text.id()).cacheId(text.id()),
          text::encodeTokens);
    }
  }

  private final ModelBundle bundle;
  private final long modelId;
  private final FeatureStore features;
  private final ItemStore items;
  private final CodeStore codes;
  private final Feature pooled;

  /** The token features the model reads, or null when it reads none. */
  private final Feature tokens;

  Coder(Catalog catalog, ModelBundle bundle, long modelId) {
    this.bundle = bundle;
    this.modelId = modelId;
    this.features = new FeatureStore(catalog);
    this.items = new ItemStore(catalog);
    this.codes = new CodeStore(catalog);
    this.pooled = Feature.pooled(bundle.encoders());
    this.tokens = bundle.hashModel().readsTokens() ? Feature.tokens(bundle.encoders()) : null;
  }

  /**
   * Computes and caches {@code feature} for every item that has none yet, chunk by chunk (a stopped
   * job resumes): what a model is trained on, before there is a model to code with. Returns how
   * many items were encoded.
   */
  static int cache(
      Catalog catalog, Feature feature, Cancellation cancel, Consumer<String> progress) {
    FeatureStore features = new FeatureStore(catalog);
    ItemStore items = new ItemStore(catalog);
    int encoded = 0;
    for (ItemKind kind : ItemKind.values()) {
      long[] missing =
          features.missing(feature.id(kind), kind).stream().mapToLong(Long::longValue).toArray();
      for (int from = 0; from < missing.length && !cancel.isCancelled(); from += ENCODED_CHUNK) {
        cancel.awaitResumed();
        int to = Math.min(missing.length, from + ENCODED_CHUNK);
        long[] chunk = Arrays.copyOfRange(missing, from, to);
        encoded +=
            encodeMissing(features, items, kind, feature, chunk, new float[chunk.length][], cancel)
                .rows()
                .cardinality();
        progress.accept(
            "encoded "
                + to
                + " of "
                + missing.length
                + " "
                + kind.name().toLowerCase(Locale.ROOT)
                + " features ("
                + feature.id(kind)
                + ")");
      }
    }
    return encoded;
  }

  /** What {@code modelId} (or, when -1, a model not registered yet) has not coded. Reads only. */
  static Backlog backlog(Catalog catalog, long modelId) {
    ItemStore items = new ItemStore(catalog);
    long[] coded = modelId < 0 ? new long[0] : new CodeStore(catalog).ids(modelId);
    return new Backlog(
        minus(items.ids(ItemKind.IMAGE), coded), minus(items.ids(ItemKind.CAPTION), coded));
  }

  /**
   * Codes the backlog; {@code coded} gets every committed batch (to update live indexes), {@code
   * progress} short lines.
   */
  CodingReport run(Cancellation cancel, CodingListener progress, Consumer<Batch> coded) {
    long started = System.nanoTime();
    long[] done = codes.ids(modelId);
    long[] images = items.ids(ItemKind.IMAGE);
    long[] captions = items.ids(ItemKind.CAPTION);
    long[] orphans = minus(minus(done, images), captions); // codes of items deleted since
    codes.remove(modelId, toSet(orphans));
    long[] missingImages = minus(images, done);
    long[] missingCaptions = minus(captions, done);
    int total = missingImages.length + missingCaptions.length;
    String name = bundle.manifest().name();
    if (total > 0) {
      progress.message(
          "coding "
              + missingImages.length
              + " images and "
              + missingCaptions.length
              + " captions with model "
              + name);
    }
    Tally tally = new Tally();
    code(ItemKind.IMAGE, missingImages, cancel, progress, coded, tally, total);
    code(ItemKind.CAPTION, missingCaptions, cancel, progress, coded, tally, total);
    return new CodingReport(
        name,
        tally.imagesEncoded,
        tally.captionsEncoded,
        tally.coded,
        orphans.length,
        total - tally.coded - tally.skipped,
        (System.nanoTime() - started) / 1e9);
  }

  private static final class Tally {
    int imagesEncoded;
    int captionsEncoded;
    int coded;
    int skipped; // images without a model input: nothing to encode
  }

  private void code(
      ItemKind kind,
      long[] missing,
      Cancellation cancel,
      CodingListener progress,
      Consumer<Batch> coded,
      Tally tally,
      int total) {
    Set<Long> uncached = new HashSet<>(features.missing(pooled.id(kind), kind));
    if (tokens != null) {
      uncached.addAll(features.missing(tokens.id(kind), kind));
    }
    int from = 0;
    while (from < missing.length && !cancel.isCancelled()) {
      cancel.awaitResumed();
      // A chunk ends at CACHED_CHUNK items, or earlier once ENCODED_CHUNK of them need encoding.
      int to = from;
      int toEncode = 0;
      while (to < missing.length && to - from < CACHED_CHUNK && toEncode < ENCODED_CHUNK) {
        toEncode += uncached.contains(missing[to++]) ? 1 : 0;
      }
      long[] chunk = Arrays.copyOfRange(missing, from, to);
      from = to;
      float[][] rows = features.get(pooled.id(kind), chunk);
      Encoded encoded = encodeMissing(features, items, kind, pooled, chunk, rows, cancel);
      float[][] tokenRows = null;
      if (tokens != null) {
        tokenRows = features.get(tokens.id(kind), chunk);
        encoded =
            encoded.and(encodeMissing(features, items, kind, tokens, chunk, tokenRows, cancel));
      }
      if (kind == ItemKind.IMAGE) {
        tally.imagesEncoded += encoded.rows().cardinality();
      } else {
        tally.captionsEncoded += encoded.rows().cardinality();
      }
      Batch batch = hash(kind, chunk, rows, tokenRows);
      tally.skipped += encoded.withoutInput();
      if (batch.ids().length > 0) {
        codes.put(modelId, batch.ids(), batch.codes(), bundle.hashModel().bits());
        coded.accept(batch);
        tally.coded += batch.ids().length;
      }
      progress.progress(tally.coded + tally.skipped, total);
    }
  }

  /**
   * What {@link #encodeMissing} did: the rows it computed, and how many images it left without
   * features because they have no model input (deleted meanwhile: they get no code).
   */
  private record Encoded(BitSet rows, int withoutInput) {
    /** Both features' work on one chunk (an image without input lacks both: counted once). */
    Encoded and(Encoded tokens) {
      BitSet both = (BitSet) rows.clone();
      both.or(tokens.rows);
      return new Encoded(both, Math.max(withoutInput, tokens.withoutInput));
    }
  }

  /**
   * Computes {@code feature} for the rows of {@code chunk} that are null, fills them in and caches
   * them, a batch at a time; stops between batches when cancelled (the rows not reached stay null
   * and are coded by a later run).
   */
  private static Encoded encodeMissing(
      FeatureStore features,
      ItemStore items,
      ItemKind kind,
      Feature feature,
      long[] chunk,
      float[][] rows,
      Cancellation cancel) {
    BitSet done = new BitSet(chunk.length);
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < chunk.length; i++) {
      if (rows[i] == null) {
        todo.add(i);
      }
    }
    if (todo.isEmpty()) {
      return new Encoded(done, 0);
    }
    long[] ids = todo.stream().mapToLong(i -> chunk[i]).toArray();
    Map<Long, StoredImage> inputs = kind == ItemKind.IMAGE ? items.modelInputs(ids) : Map.of();
    Map<Long, String> texts = kind == ItemKind.CAPTION ? items.captionTexts(ids) : Map.of();
    int withoutInput = 0;
    for (int from = 0; from < todo.size() && !cancel.isCancelled(); from += ENCODE_BATCH) {
      List<Integer> part = todo.subList(from, Math.min(todo.size(), from + ENCODE_BATCH));
      List<Integer> rowsDone = new ArrayList<>();
      float[][] vectors;
      if (kind == ItemKind.IMAGE) {
        List<BufferedImage> pixels = new ArrayList<>();
        for (int i : part) {
          StoredImage input = inputs.get(chunk[i]);
          if (input != null) { // an image deleted meanwhile has none: it gets no code
            pixels.add(input.toImage());
            rowsDone.add(i);
          } else {
            withoutInput++;
          }
        }
        vectors = pixels.isEmpty() ? new float[0][] : feature.images().apply(pixels);
      } else {
        List<String> batchTexts = new ArrayList<>();
        for (int i : part) {
          batchTexts.add(texts.getOrDefault(chunk[i], ""));
          rowsDone.add(i);
        }
        vectors = feature.captions().apply(batchTexts);
      }
      long[] doneIds = new long[rowsDone.size()];
      for (int r = 0; r < rowsDone.size(); r++) {
        rows[rowsDone.get(r)] = vectors[r];
        doneIds[r] = chunk[rowsDone.get(r)];
        done.set(rowsDone.get(r));
      }
      if (doneIds.length > 0) {
        features.put(feature.id(kind), doneIds, vectors);
      }
    }
    return new Encoded(done, withoutInput);
  }

  /**
   * The codes of the rows that have features (and tokens, when {@code tokenRows} is not null: the
   * model then reads each row's own tokens).
   */
  private Batch hash(ItemKind kind, long[] chunk, float[][] rows, float[][] tokenRows) {
    List<Integer> present = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != null && (tokenRows == null || tokenRows[i] != null)) {
        present.add(i);
      }
    }
    long[] ids = present.stream().mapToLong(i -> chunk[i]).toArray();
    if (ids.length == 0) {
      return new Batch(ids, new long[0]);
    }
    float[][] input = present.stream().map(i -> rows[i]).toArray(float[][]::new);
    HashModel model = bundle.hashModel();
    long[] packed;
    if (tokenRows == null) {
      packed = kind == ItemKind.IMAGE ? model.encodeImages(input) : model.encodeTexts(input);
    } else {
      float[][] own = present.stream().map(i -> tokenRows[i]).toArray(float[][]::new);
      packed =
          kind == ItemKind.IMAGE ? model.encodeImages(input, own) : model.encodeTexts(input, own);
    }
    return new Batch(ids, packed);
  }

  /** The ids of sorted {@code a} that are not in sorted {@code b}, in order. */
  static long[] minus(long[] a, long[] b) {
    long[] out = new long[a.length];
    int n = 0;
    int j = 0;
    for (long id : a) {
      while (j < b.length && b[j] < id) {
        j++;
      }
      if (j >= b.length || b[j] != id) {
        out[n++] = id;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static Set<Long> toSet(long[] ids) {
    Set<Long> out = new HashSet<>(ids.length * 2);
    for (long id : ids) {
      out.add(id);
    }
    return out;
  }
}
