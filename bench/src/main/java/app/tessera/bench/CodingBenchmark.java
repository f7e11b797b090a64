package app.tessera.bench;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.Search;
import app.tessera.engine.api.ShippedModels;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.FileFacts;
import app.tessera.engine.store.ImageContent;
import app.tessera.engine.store.ItemKind;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.NewImage;
import app.tessera.engine.store.StoredImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@code tessera bench coding}: what keeping a large library's codes up to date costs. A library of
 * generated image items (a tiny shared thumbnail, random cached features for the shipped model's
 * image encoder, files under a folder that is never scanned) is coded once with the shipped default
 * model; then, several times, one real new image is indexed and the library coded again, which must
 * encode and hash that one image only. Everything it writes is deleted afterwards.
 */
public final class CodingBenchmark {
  /** Rows per insert transaction while generating. */
  private static final int GENERATE_BATCH = 8192;

  /**
   * What to generate and measure.
   *
   * @param items generated image items
   * @param rounds how many times one new image is added and coded (the median is reported)
   */
  public record Config(int items, int rounds, long seed) {
    public static Config standard() {
      return new Config(100_000, 5, 42);
    }
  }

  private final Config config;
  private final Consumer<String> log;

  public CodingBenchmark(Config config, Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  /** Runs every measurement; returns the results as an ordered map (JSON-ready). */
  public Map<String, Object> run() throws IOException {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("machine", machine());
    Path dir = Files.createTempDirectory("tessera-bench-coding");
    try (ModelBundle bundle = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU)) {
      Path file = dir.resolve("library.sqlite");
      log.accept("generating " + config.items() + " image items with cached features ...");
      long t0 = System.nanoTime();
      generate(file, bundle, dir.resolve("generated"), config.items(), config.seed());
      result.put("generate_seconds", seconds(t0));
      try (Library library = Library.open(file)) {
        log.accept("coding every item once (features cached: hashing only) ...");
        t0 = System.nanoTime();
        CodingReport first = library.code(bundle, new Cancellation(), line -> {});
        result.put("items", config.items());
        result.put("first_coding_seconds", seconds(t0));
        result.put("first_coding_items_coded", first.coded());

        Search search = library.search(bundle);
        List<Double> codeSeconds = new ArrayList<>();
        List<Double> indexAndCodeSeconds = new ArrayList<>();
        List<Integer> coded = new ArrayList<>();
        List<Integer> encoded = new ArrayList<>();
        for (int round = 0; round < config.rounds(); round++) {
          Path folder = dir.resolve("new-" + round);
          writeImage(folder.resolve("new.png"), round);
          long start = System.nanoTime();
          IndexReport indexed =
              library.index(
                  List.of(folder),
                  IndexSettings.defaults(),
                  IndexListener.NONE,
                  new Cancellation());
          long codeStart = System.nanoTime();
          CodingReport report = library.code(bundle, new Cancellation(), line -> {});
          long end = System.nanoTime();
          if (indexed.added() != 1) {
            throw new IllegalStateException("indexing added " + indexed.added() + " images");
          }
          codeSeconds.add((end - codeStart) / 1e9);
          indexAndCodeSeconds.add((end - start) / 1e9);
          coded.add(report.coded());
          encoded.add(report.imagesEncoded());
          log.accept(
              String.format(
                  "round %d: %d item coded (%d encoded) in %.3f s",
                  round + 1, report.coded(), report.imagesEncoded(), codeSeconds.getLast()));
        }
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("rounds", config.rounds());
        added.put("items_coded_each_round", coded);
        added.put("images_encoded_each_round", encoded);
        added.put("code_seconds_each_round", round(codeSeconds));
        added.put("code_seconds_median", median(codeSeconds));
        added.put("index_and_code_seconds_median", median(indexAndCodeSeconds));
        added.put("live_search_images_after", search.imageCount());
        result.put("add_one_image", added);
      }
    } finally {
      deleteTree(dir);
    }
    return result;
  }

  /**
   * Generates a library of {@code items} image items in {@code file}: tiny thumbnails, file rows
   * under {@code root} (a folder that is never scanned) and random cached features for {@code
   * bundle}'s image encoder, so coding it is hashing only. Also what {@code tessera bench grid}
   * searches.
   */
  public static void generate(Path file, ModelBundle bundle, Path root, int items, long seed)
      throws IOException {
    Files.createDirectories(root);
    byte[] png = png(8, Color.GRAY);
    StoredImage thumbnail = new StoredImage(8, 8, "png", png);
    Random random = new Random(seed);
    try (Catalog catalog = Catalog.open(file)) {
      long rootId = catalog.write(tx -> tx.roots().add(root.toAbsolutePath().normalize())).id();
      for (int from = 0; from < items; from += GENERATE_BATCH) {
        int to = Math.min(items, from + GENERATE_BATCH);
        List<NewImage> rows = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          rows.add(
              new NewImage(
                  new FileFacts(rootId, "g/" + i + ".png", png.length, i, 0),
                  new ImageContent("bench:" + i, png.length, "png", 8, 8, thumbnail, thumbnail)));
        }
        catalog.write(tx -> tx.images().insertNew(rows));
      }
      String encoder = bundle.imageEncoder().id();
      long[] ids = new ItemStore(catalog).ids(ItemKind.IMAGE);
      FeatureStore features = new FeatureStore(catalog);
      int dim = bundle.imageEncoder().encode(List.of(new BufferedImage(8, 8, 1)))[0].length;
      for (int from = 0; from < ids.length; from += GENERATE_BATCH) {
        long[] batch = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + GENERATE_BATCH));
        float[][] vectors = new float[batch.length][dim];
        for (float[] v : vectors) {
          for (int j = 0; j < dim; j++) {
            v[j] = (float) random.nextGaussian();
          }
        }
        features.put(encoder, batch, vectors);
      }
    }
  }

  private static void writeImage(Path file, int round) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, png(48, new Color(40 * round % 256, 120, 200)));
  }

  private static byte[] png(int side, Color colour) throws IOException {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, side, side);
    g.setColor(colour);
    g.fillOval(side / 6, side / 6, 2 * side / 3, 2 * side / 3);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static double seconds(long start) {
    return Math.round((System.nanoTime() - start) / 1e6) / 1e3;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static List<Double> round(List<Double> values) {
    return values.stream().map(v -> Math.round(v * 1e4) / 1e4).toList();
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put(
        "load_average_at_start",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    m.put("java", Runtime.version().toString());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return m;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
