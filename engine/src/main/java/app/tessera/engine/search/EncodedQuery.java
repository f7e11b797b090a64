package app.tessera.engine.search;

import app.tessera.engine.code.BinaryCodes;

/**
 * One query input (a text or an image) as the hashing model sees it.
 *
 * @param hash the model's real-valued outputs before the sign (length = code bits); the code is
 *     their signs. Encoders that only have codes may give ±1 values.
 * @param features float features for re-ranking, in the space of the target's cached features
 *     ({@link FeatureSource}), or null when there are none
 */
public record EncodedQuery(float[] hash, float[] features) {
  public EncodedQuery {
    if (hash == null || hash.length == 0) {
      throw new IllegalArgumentException("an encoded query needs its hash outputs");
    }
  }

  /** An encoded query from a stored code (±1 per bit), e.g. an indexed item's. */
  public static EncodedQuery ofCode(long[] code, int bits, float[] features) {
    return new EncodedQuery(BinaryCodes.unpack(code, 0, bits), features);
  }
}
