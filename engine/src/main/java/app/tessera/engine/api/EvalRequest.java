package app.tessera.engine.api;

import app.tessera.engine.Device;
import java.util.List;
import java.util.Map;

/**
 * What {@link Experiments#evaluate} trains and evaluates.
 *
 * @param methods method names
 * @param bits code lengths
 * @param seeds training seeds per method and code length: {@code firstSeed}, {@code firstSeed + 1},
 *     ...
 * @param epochs the most epochs a method may train; 0 = each method's own
 * @param params method settings: {@code name=value} for every method that knows the name, {@code
 *     method.name=value} for one; a name no method knows is rejected
 * @param cache keep trained models in the cache under the data directory and reuse them
 */
public record EvalRequest(
    List<String> methods,
    List<Integer> bits,
    int seeds,
    long firstSeed,
    int epochs,
    Device device,
    Map<String, String> params,
    boolean cache) {
  public EvalRequest {
    methods = List.copyOf(methods);
    bits = List.copyOf(bits);
    params = Map.copyOf(params);
  }
}
