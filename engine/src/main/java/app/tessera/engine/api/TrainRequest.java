package app.tessera.engine.api;

import app.tessera.engine.Device;
import app.tessera.engine.hashing.HashingMethods;
import java.util.List;
import java.util.Map;

/**
 * One hashing model to train.
 *
 * @param method the method's name (contrastive, rotation, bilgseh)
 * @param bits code length, a positive multiple of 16
 * @param epochs the most epochs (early stopping may end sooner); 0 = the method's own
 * @param params method settings by name; each method checks them and rejects unknown names
 */
public record TrainRequest(
    String method, int bits, int epochs, long seed, Device device, Map<String, String> params) {
  public TrainRequest {
    params = Map.copyOf(params);
  }

  /** The methods this build can train, by name (what {@code method} may be). */
  public static List<String> methods() {
    return HashingMethods.available();
  }
}
