package app.tessera.engine.eval;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Hashes;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trained hashing models, kept by everything that determines them: method, bits, seed, epochs,
 * settings and the training data (dataset fingerprint, encoders, validation split). A model trained
 * with the same key is loaded instead of trained again; an interrupted training resumes from the
 * checkpoint in its folder.
 *
 * <p>Layout: {@code <root>/<method>-<bits>b-seed<seed>-<key>/} holding {@code model/} (the saved
 * model, written last, so its presence means "complete"), {@code checkpoint/} and {@code key.txt}
 * (the key in words, for people).
 */
public final class ModelCache {
  private final Path root;

  public ModelCache(Path root) {
    this.root = root;
  }

  /** The default cache: {@code <data dir>/cache/models}. */
  public static ModelCache defaultCache() {
    return new ModelCache(AppDirs.dataDir().resolve("cache").resolve("models"));
  }

  public Path root() {
    return root;
  }

  /** A trained model and whether it came from the cache. */
  public record Trained(HashModel model, boolean reused, double seconds, Path folder) {}

  /**
   * The model for these settings: loaded from the cache when complete there, else trained (resuming
   * a checkpoint if one exists) and saved.
   *
   * @param dataKey identifies the training data: dataset, encoders and validation split
   */
  public Trained obtain(
      HashingMethod method,
      FeatureSet train,
      FeatureSet validation,
      TrainingOptions options,
      String dataKey,
      TrainingListener listener)
      throws IOException {
    String description = describe(method, options, dataKey);
    Path folder =
        root.resolve(
            method.name()
                + "-"
                + options.bits()
                + "b-seed"
                + options.seed()
                + "-"
                + Hashes.sha256(description).substring(0, 16));
    Path modelDir = folder.resolve("model");
    if (Files.isDirectory(modelDir)) {
      try {
        return new Trained(method.load(modelDir), true, 0, folder);
      } catch (IOException | RuntimeException e) {
        // A damaged cache entry: train again and overwrite it.
      }
    }
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("key.txt"), description + "\n", StandardCharsets.UTF_8);
    TrainingOptions withCheckpoints =
        new TrainingOptions(
            options.bits(),
            options.epochs(),
            options.seed(),
            options.device(),
            folder.resolve("checkpoint"),
            options.params());
    long start = System.nanoTime();
    HashModel model = method.train(train, validation, withCheckpoints, listener);
    double seconds = (System.nanoTime() - start) / 1e9;
    Path tmp = folder.resolve("model.tmp");
    deleteRecursively(tmp);
    model.save(tmp);
    deleteRecursively(modelDir);
    Files.move(tmp, modelDir);
    return new Trained(model, false, seconds, folder);
  }

  private static String describe(HashingMethod method, TrainingOptions options, String dataKey) {
    return "method="
        + method.name()
        + "\nbits="
        + options.bits()
        + "\nseed="
        + options.seed()
        + "\nepochs="
        + options.epochs()
        + "\nsettings="
        + method.settingsKey(options)
        + "\ndata="
        + dataKey;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
