package app.tessera.engine.eval;

import app.tessera.engine.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link Evaluation#run} trains and evaluates.
 *
 * @param methods method names ({@link app.tessera.engine.hashing.HashingMethods})
 * @param bits code lengths, e.g. 16, 32, 64, 128
 * @param seeds training seeds per (method, bits): {@code firstSeed}, {@code firstSeed + 1}, ...
 * @param firstSeed the first training seed
 * @param epochs the most epochs a method may train (early stopping may end sooner); 0 = each
 *     method's own default
 * @param device where networks train
 * @param validationFraction share of the training rows held out for early stopping
 * @param splitSeed seed of the validation hold-out (the same for every training seed)
 * @param params method settings: {@code name} for every method that knows it, {@code method.name}
 *     for one ({@link app.tessera.engine.hashing.MethodParams#forMethod})
 * @param modelCache folder of the trained-model cache, or {@code null} to train afresh and keep
 *     nothing
 */
public record EvalSettings(
    List<String> methods,
    List<Integer> bits,
    int seeds,
    long firstSeed,
    int epochs,
    Device device,
    double validationFraction,
    long splitSeed,
    Map<String, String> params,
    Path modelCache) {

  /** Each method's own default number of epochs. */
  public static final int DEFAULT_EPOCHS = 0;

  public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
  public static final long DEFAULT_SPLIT_SEED = 42;

  public EvalSettings {
    methods = List.copyOf(methods);
    bits = List.copyOf(bits);
    params = Map.copyOf(params);
    if (methods.isEmpty() || bits.isEmpty()) {
      throw new IllegalArgumentException("name at least one method and one code length");
    }
    if (seeds < 1 || epochs < 0) {
      throw new IllegalArgumentException("seeds must be at least 1 and epochs at least 0");
    }
  }
}
