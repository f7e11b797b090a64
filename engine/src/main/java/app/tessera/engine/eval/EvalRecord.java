package app.tessera.engine.eval;

/**
 * The figures of one (method, bits, direction), over the seeds.
 *
 * @param method method name
 * @param bits code length
 * @param direction i2t or t2i
 * @param mapAll mAP@all over seeds
 * @param mapAt50 mAP@50 over seeds
 * @param cutoffs the K of {@code precisionAtK}
 * @param precisionAtK P@K, mean over seeds
 * @param precisionByRadius precision within Hamming radius r = 0..bits, mean over seeds
 * @param recallByRadius recall within Hamming radius r = 0..bits, mean over seeds
 * @param trainSeconds training time per seed (0 for a model reused from the cache)
 * @param epochs epochs trained per seed, mean ({@code NaN} when unknown)
 */
public record EvalRecord(
    String method,
    int bits,
    Direction direction,
    Stats mapAll,
    Stats mapAt50,
    int[] cutoffs,
    double[] precisionAtK,
    double[] precisionByRadius,
    double[] recallByRadius,
    Stats trainSeconds,
    double epochs) {}
