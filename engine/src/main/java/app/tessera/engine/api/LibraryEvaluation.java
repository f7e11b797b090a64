package app.tessera.engine.api;

import java.util.List;

/**
 * How well one model retrieves in its library, by the protocol of {@code docs/methods.md} §3: the
 * library's evaluation queries (its {@code split=query} images, else a fixed tenth held out of
 * training) ranked by Hamming distance against every other labelled item of the other modality; an
 * item is relevant when it shares a label with the query.
 *
 * @param model the model's name
 * @param queryImages labelled query images (their captions are the text→image queries)
 * @param databaseImages labelled images ranked against (their captions for image→text)
 * @param labels distinct labels
 * @param rankings image→text and text→image
 */
public record LibraryEvaluation(
    String model,
    int bits,
    int queryImages,
    int databaseImages,
    int labels,
    List<Ranking> rankings) {
  public LibraryEvaluation {
    rankings = List.copyOf(rankings);
  }

  /**
   * One direction's figures.
   *
   * @param direction {@code image → text} or {@code text → image}
   * @param queries queries ranked
   * @param database items each query ranks
   * @param map mAP@all of the Hamming ranking
   * @param cosineMap mAP@all of the same items' float features ranked by cosine (the no-hashing
   *     ceiling), {@code NaN} when some item's features are not cached
   * @param chanceMap mAP@all of a random ranking
   * @param cutoffs the K of {@code mapAtK} and {@code precisionAtK}
   * @param precisionByRadius precision of the items within Hamming radius r = 0..bits ({@code NaN}
   *     where no query retrieves anything)
   * @param recallByRadius recall within radius r = 0..bits
   */
  public record Ranking(
      String direction,
      int queries,
      int database,
      double map,
      double cosineMap,
      double chanceMap,
      int[] cutoffs,
      double[] mapAtK,
      double[] precisionAtK,
      double[] precisionByRadius,
      double[] recallByRadius) {}
}
