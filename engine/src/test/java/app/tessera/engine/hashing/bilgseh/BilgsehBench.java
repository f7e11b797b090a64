package app.tessera.engine.hashing.bilgseh;

import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.DatasetFeatures;
import app.tessera.engine.encode.MiniLmTextEncoder;
import app.tessera.engine.encode.ModelInputImages;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Development bench (not a test): trains BiLGSEH on a dataset folder and prints query→database
 * mAP@all, the float ceiling of the model's outputs, per-epoch time, or the process RSS per epoch.
 *
 * <pre>
 *   BilgsehBench eval DATASET FEATURE_CACHE_DIR bits=64 seeds=1 [name=value ...]
 *   BilgsehBench rss  DATASET FEATURE_CACHE_DIR epochs=50 rows=1000 [name=value ...]
 * </pre>
 *
 * Features: MiniLM text; images are 16×16 RGB pixels (a stand-in until the image encoder lands).
 */
public final class BilgsehBench {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Dataset dataset = Dataset.read(Path.of(args[1]));
    Path cache = Path.of(args[2]);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      params.put(kv[0], kv[1]);
    }
    int[] bitsList = ints(params.remove("bits"), "64");
    int seeds = Integer.parseInt(params.getOrDefault("seeds", "1"));
    params.remove("seeds");
    int epochs = Integer.parseInt(params.getOrDefault("epochs", "0"));
    params.remove("epochs");
    int rowsLimit = Integer.parseInt(params.getOrDefault("rows", "0"));
    params.remove("rows");
    boolean verbose = params.remove("verbose") != null;
    double validationFraction = Double.parseDouble(params.getOrDefault("valfrac", "0.1"));
    params.remove("valfrac");

    String featureKind = params.getOrDefault("features", "cnn");
    params.remove("features");
    Map<Integer, float[]> images = new HashMap<>();
    Map<Integer, float[]> texts = new HashMap<>();
    if (featureKind.equals("cnn")) {
      List<DatasetFeatures.Pair> pairs =
          dataset.rows().stream()
              .map(
                  row ->
                      new DatasetFeatures.Pair(
                          row.id(), row.image(), row.caption(), row.split().forTraining()))
              .toList();
      DatasetFeatures.Result result =
          DatasetFeatures.compute(
              pairs,
              TesseraCnnTrainer.Options.defaults(),
              DatasetFeatures.defaultCacheRoot(),
              System.out::println);
      for (int i = 0; i < dataset.rows().size(); i++) {
        images.put(dataset.rows().get(i).index(), result.images()[i]);
        texts.put(dataset.rows().get(i).index(), result.texts()[i]);
      }
      System.out.println("features " + result.imageEncoderId() + " + " + result.textEncoderId());
    } else {
      images = features(dataset, cache, "pixels16", true);
      texts = features(dataset, cache, "minilm", false);
    }
    Dataset.TrainValidation split = dataset.holdOutValidation(validationFraction, 7);
    List<DatasetRow> trainRows = split.train();
    if (rowsLimit > 0) {
      trainRows = trainRows.subList(0, Math.min(rowsLimit, trainRows.size()));
    }
    FeatureSet train = set(dataset, trainRows, images, texts);
    FeatureSet validation = set(dataset, split.validation(), images, texts);
    FeatureSet queries = set(dataset, dataset.queryRows(), images, texts);
    FeatureSet database = set(dataset, dataset.databaseRows(), images, texts);
    System.out.printf(
        "train %d, validation %d, query %d, database %d, params %s%n",
        train.size(), validation.size(), queries.size(), database.size(), params);

    if (mode.equals("rss")) {
      TrainingOptions options = new TrainingOptions(64, epochs, 1, Device.CPU, null, params);
      try (var model =
          new Bilgseh()
              .train(
                  train,
                  null,
                  options,
                  (e, n, loss, score) -> {
                    if (e == 10 || e == epochs) {
                      nativeMemorySummary(e);
                    }
                    System.out.printf(
                        "epoch %d loss %.4f rss %d MiB heap used %d MiB%n",
                        e,
                        loss,
                        rssMiB(),
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                            >> 20);
                  })) {
        System.out.println("done");
      }
      return;
    }

    Relevance relevance = Relevance.sharedLabel(queries.labels(), database.labels());
    for (int bits : bitsList) {
      for (int seed = 1; seed <= seeds; seed++) {
        TrainingOptions options = new TrainingOptions(bits, epochs, seed, Device.CPU, null, params);
        long start = System.nanoTime();
        int[] epochCount = {0};
        double[] best = {Double.NEGATIVE_INFINITY, 0};
        try (BilgsehModel model =
            new Bilgseh()
                .train(
                    train,
                    validation,
                    options,
                    (e, n, loss, score) -> {
                      epochCount[0] = e;
                      if (score > best[0]) {
                        best[0] = score;
                        best[1] = e;
                      }
                      if (verbose) {
                        System.out.printf("  epoch %d loss %.4f val %.4f%n", e, loss, score);
                      }
                    })) {
          double seconds = (System.nanoTime() - start) / 1e9;
          long[] qi = model.encodeImages(queries.images());
          long[] qt = model.encodeTexts(queries.texts());
          long[] di = model.encodeImages(database.images());
          long[] dt = model.encodeTexts(database.texts());
          double i2t = RetrievalEvaluator.hamming(qi, dt, bits, relevance).mapAll();
          double t2i = RetrievalEvaluator.hamming(qt, di, bits, relevance).mapAll();
          double fi2t =
              RetrievalEvaluator.cosine(
                      model.embedImages(queries.images()),
                      model.embedTexts(database.texts()),
                      relevance)
                  .mapAll();
          double ft2i =
              RetrievalEvaluator.cosine(
                      model.embedTexts(queries.texts()),
                      model.embedImages(database.images()),
                      relevance)
                  .mapAll();
          System.out.printf(
              "bits %3d seed %d: i2t %.4f t2i %.4f | float i2t %.4f t2i %.4f | val %.4f @%d of %d"
                  + " epochs, %.2f s/epoch%n",
              bits,
              seed,
              i2t,
              t2i,
              fi2t,
              ft2i,
              best[0],
              (int) best[1],
              epochCount[0],
              seconds / epochCount[0]);
        }
      }
    }
  }

  /** The JVM's own native memory (needs -XX:NativeMemoryTracking=summary), for the RSS split. */
  static void nativeMemorySummary(int epoch) {
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(ProcessHandle.current().pid()),
                  "VM.native_memory",
                  "summary")
              .redirectErrorStream(true)
              .start();
      String text = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      for (String line : text.split("\n")) {
        if (line.startsWith("Total:")
            || line.contains("- Java Heap")
            || line.contains("- Class")
            || line.contains("- Code")
            || line.contains("- Thread (")) {
          System.out.println("epoch " + epoch + " NMT " + line.trim());
        }
      }
    } catch (IOException | InterruptedException e) {
      System.out.println("no NMT: " + e);
    }
  }

  static long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }

  private static FeatureSet set(
      Dataset dataset,
      List<DatasetRow> rows,
      Map<Integer, float[]> images,
      Map<Integer, float[]> texts) {
    float[][] im = new float[rows.size()][];
    float[][] tx = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      im[i] = images.get(rows.get(i).index());
      tx[i] = texts.get(rows.get(i).index());
    }
    return new FeatureSet(im, tx, dataset.labelMatrix(rows));
  }

  private static Map<Integer, float[]> features(
      Dataset dataset, Path cache, String name, boolean image) throws IOException {
    Path file = cache.resolve(name + ".bin");
    Map<Integer, float[]> out = new HashMap<>();
    if (Files.exists(file)) {
      try (DataInputStream in =
          new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
        int n = in.readInt();
        int d = in.readInt();
        for (int i = 0; i < n; i++) {
          int index = in.readInt();
          float[] v = new float[d];
          for (int j = 0; j < d; j++) {
            v[j] = in.readFloat();
          }
          out.put(index, v);
        }
      }
      return out;
    }
    List<DatasetRow> rows = dataset.rows();
    if (image) {
      for (DatasetRow row : rows) {
        BufferedImage img = ModelInputImages.load(dataset.folder().resolve(row.image()), 16);
        float[] v = new float[16 * 16 * 3];
        for (int y = 0; y < 16; y++) {
          for (int x = 0; x < 16; x++) {
            int rgb = img.getRGB(x, y);
            int o = (y * 16 + x) * 3;
            v[o] = 1f - ((rgb >> 16) & 255) / 255f;
            v[o + 1] = 1f - ((rgb >> 8) & 255) / 255f;
            v[o + 2] = 1f - (rgb & 255) / 255f;
          }
        }
        out.put(row.index(), v);
      }
    } else {
      try (MiniLmTextEncoder encoder = MiniLmTextEncoder.open(cache.resolve("minilm-files"))) {
        List<String> captions = new ArrayList<>();
        rows.forEach(r -> captions.add(r.caption()));
        float[][] enc = encoder.encode(captions);
        for (int i = 0; i < rows.size(); i++) {
          out.put(rows.get(i).index(), enc[i]);
        }
      }
    }
    Files.createDirectories(cache);
    try (DataOutputStream o =
        new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      o.writeInt(out.size());
      o.writeInt(out.values().iterator().next().length);
      for (var e : out.entrySet()) {
        o.writeInt(e.getKey());
        for (float f : e.getValue()) {
          o.writeFloat(f);
        }
      }
    }
    return out;
  }

  private static int[] ints(String csv, String fallback) {
    String s = csv == null ? fallback : csv;
    return java.util.Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
  }
}
