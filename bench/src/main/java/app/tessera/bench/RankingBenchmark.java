package app.tessera.bench;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.HammingIndex;
import app.tessera.engine.index.HammingSearcher;
import app.tessera.engine.index.SyntheticCodes;
import app.tessera.engine.search.CodeSource;
import app.tessera.engine.search.EncodedQuery;
import app.tessera.engine.search.FeatureSource;
import app.tessera.engine.search.ItemCatalog;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.QueryEncoder;
import app.tessera.engine.search.SearchService;
import app.tessera.engine.search.TieBreak;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What tie-breaking costs a query in the real query service ({@link SearchService}) at n items: the
 * same text→image query (top 20) with ties in insertion order (the index's exact top-20) and with
 * the default {@link TieBreak} ({@link TieBreak#CANDIDATES} candidates from the index, the query's
 * asymmetric distance to each code of the tie groups that reach the top 20, and the cosine of 384-d
 * features of the candidates that share a code). Query encoding is left out (the same for both);
 * item codes live in memory as a library's do, features too (a library reads the few it needs from
 * its catalogue).
 *
 * <p>Two kinds of codes: {@code clustered} ({@link SyntheticCodes}, few exact ties) and {@code
 * tied}, every item on one of 100 codes, as label-trained codes are: the whole candidate list is
 * one tie group, the most work the rule can do.
 */
final class RankingBenchmark implements QueryEncoder, CodeSource, ItemCatalog, FeatureSource {
  static final int BITS = 64;
  static final int FEATURE_DIM = 384;
  private static final int FEATURE_POOL = 4096; // distinct feature vectors, shared round-robin
  private static final int TIED_CODES = 100;
  private static final int WARM_UP = 2000;

  private final HammingIndex index;
  private final long[] codes;
  private final float[][] features;
  private final EncodedQuery[] queries;
  private EncodedQuery current; // what the fake encoder answers for the query being timed

  /** n items of the given code kind ("clustered" or "tied"); 200 queries. */
  RankingBenchmark(int n, String kind, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    if (kind.equals("tied")) {
      long[] distinct = new long[TIED_CODES];
      Arrays.setAll(distinct, i -> random.nextLong());
      codes = new long[n];
      Arrays.setAll(codes, i -> distinct[random.nextInt(TIED_CODES)]);
    } else {
      codes = new SyntheticCodes(BITS, SyntheticCodes.Kind.CLUSTERED, 4096, seed).generate(n, seed);
    }
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    index = new HammingIndex(BITS);
    index.add(ids, codes);
    features = new float[FEATURE_POOL][];
    for (int i = 0; i < FEATURE_POOL; i++) {
      features[i] = gaussian(random, FEATURE_DIM);
    }
    queries = new EncodedQuery[200];
    for (int q = 0; q < queries.length; q++) {
      // Real-valued outputs near an indexed code, as a query of a trained model would be.
      float[] hash = BinaryCodes.unpack(codes, random.nextInt(n), BITS);
      for (int j = 0; j < BITS; j++) {
        hash[j] *= (float) (0.2 + 0.8 * random.nextDouble());
      }
      queries[q] = new EncodedQuery(hash, gaussian(random, FEATURE_DIM));
    }
  }

  /**
   * {p50, p99, count} in ms of the service's search, with ties broken or not. The path is run
   * {@value #WARM_UP} times first: the tie-breaking loop needs more than the usual warm-up to be
   * compiled.
   */
  double[] measure(boolean breakTies) {
    SearchService service = new SearchService(this, this, this, this);
    Query query = Query.builder().text("q").top(20).breakTies(breakTies).build();
    for (int q = 0; q < WARM_UP; q++) {
      current = queries[q % queries.length];
      service.search(query);
    }
    return Latency.measure(
        200,
        5,
        q -> {
          current = queries[q % queries.length];
          service.search(query);
        });
  }

  /** {p50, p99, count} in ms of the index's exact top-{@link TieBreak#CANDIDATES} alone. */
  double[] measureCandidates() {
    return Latency.measure(
        200,
        5,
        q -> {
          float[] hash = queries[q % queries.length].hash();
          long[] code = new long[1];
          BinaryCodes.packInto(hash, code, 0);
          index.search(code, TieBreak.CANDIDATES);
        });
  }

  long ramBytes() {
    return index.snapshot().ramBytes() + 8L * codes.length;
  }

  /** A vector of independent standard normal values (Box–Muller): a stand-in feature. */
  static float[] gaussian(SplittableRandom random, int dim) {
    float[] v = new float[dim];
    for (int j = 0; j < dim; j++) {
      double u = Math.max(1e-12, random.nextDouble());
      v[j] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
    }
    return v;
  }

  @Override
  public int bits() {
    return BITS;
  }

  @Override
  public EncodedQuery encodeText(String text) {
    return current;
  }

  @Override
  public EncodedQuery encodeImage(Path file) {
    return current;
  }

  @Override
  public EncodedQuery encodeImage(byte[] imageBytes) {
    return current;
  }

  @Override
  public HammingSearcher images() {
    return index;
  }

  @Override
  public HammingSearcher captions() {
    return index;
  }

  @Override
  public Optional<long[]> imageCode(long itemId) {
    return Optional.of(new long[] {codes[(int) itemId]});
  }

  @Override
  public Optional<long[]> captionCode(long captionId) {
    return imageCode(captionId);
  }

  @Override
  public Optional<Item> item(long itemId) {
    return Optional.of(new Item(itemId, Path.of("item" + itemId), null, null, Set.of(), null));
  }

  @Override
  public Optional<Caption> caption(long captionId) {
    return Optional.of(new Caption(captionId, captionId, "caption"));
  }

  @Override
  public java.util.List<Caption> captionsOf(long itemId) {
    return java.util.List.of(new Caption(itemId, itemId, "caption"));
  }

  @Override
  public float[][] imageFeatures(long[] itemIds) {
    float[][] rows = new float[itemIds.length][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = features[(int) (itemIds[i] % FEATURE_POOL)];
    }
    return rows;
  }

  @Override
  public float[][] captionFeatures(long[] captionIds) {
    return imageFeatures(captionIds);
  }
}
