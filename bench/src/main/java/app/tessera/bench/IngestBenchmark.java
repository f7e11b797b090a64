package app.tessera.bench;

import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.ingest.ImageDecoder;
import app.tessera.engine.ingest.Indexer;
import app.tessera.engine.ingest.IngestOptions;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import app.tessera.engine.store.FileFacts;
import app.tessera.engine.store.ImageContent;
import app.tessera.engine.store.ModelStore;
import app.tessera.engine.store.Root;
import app.tessera.engine.store.StoredImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@code tessera bench ingest}: generates a corpus in a temporary folder and measures decode-only
 * and full-ingest throughput on the same files, the re-scan of the unchanged tree, the re-scan of a
 * large synthetic unchanged tree, and the start-up load of packed codes. Everything it writes is
 * deleted afterwards.
 *
 * <p>Throughput is measured warm, as JMH would: both paths first run on a warm-up set of other
 * files of the same kind (ingested into a catalogue of their own, so the measured one starts as it
 * would), so that the JIT has compiled them. This matters for small files, where ingest runs much
 * more Java per file (catalogue, metadata, fingerprint) than decoding does and a cold run mostly
 * measures the compiler.
 */
public final class IngestBenchmark {
  /**
   * Measurement rounds for the small files: each is short, so one alone is noisy, and the first
   * ones still run partly in code the JIT has not finished optimising.
   */
  private static final int SMALL_ROUNDS = 7;

  /**
   * What to generate and measure; {@code warmUpSmall} small files warm up the small-file paths
   * (enough calls for the JIT's top tier on the per-file path).
   */
  public record Config(
      int photos,
      int photoWidth,
      int photoHeight,
      int smallImages,
      int warmUpSmall,
      int rescanFiles,
      int threads,
      long seed) {
    public static Config standard() {
      return new Config(
          1000,
          4000,
          3000,
          20_000,
          10_000,
          100_000,
          Runtime.getRuntime().availableProcessors(),
          42);
    }

    public static Config quick() {
      return new Config(
          40, 4000, 3000, 2000, 10_000, 20_000, Runtime.getRuntime().availableProcessors(), 42);
    }
  }

  private final Config config;
  private final Consumer<String> log;

  public IngestBenchmark(Config config, Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  /** Runs every measurement; returns the results as an ordered map (JSON-ready). */
  public Map<String, Object> run() throws IOException, InterruptedException {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("machine", machine());
    Path dir = Files.createTempDirectory("tessera-bench-ingest");
    try {
      Path photos = dir.resolve("photos");
      Path small = dir.resolve("small");
      log.accept("generating " + config.photos() + " " + megapixels() + " MP JPEGs ...");
      generatePhotos(photos, config.photos(), "");
      int warmPhotos = Math.min(config.photos(), 2 * config.threads());
      generatePhotos(dir.resolve("warm-up/photos"), warmPhotos, "warm-up ");
      log.accept("generating " + config.smallImages() + " small PNGs ...");
      generateSmall(small, config.smallImages(), 0);
      int warmSmall = config.smallImages() > 0 ? config.warmUpSmall() : 0;
      generateSmall(dir.resolve("warm-up/small"), warmSmall, config.smallImages());
      ImageDecoder decoder = new ImageDecoder(ImageDecoder.Sizes.DEFAULT);
      try (Catalog catalog = Catalog.open(dir.resolve("bench.sqlite"));
          Catalog warmUp = Catalog.open(dir.resolve("warm-up.sqlite"))) {
        // A pass over the photos takes a minute and is bound by native decoding: one is enough.
        result.put(
            "jpeg_" + megapixels() + "mp",
            measureSet(photos, dir.resolve("warm-up/photos"), warmUp, 1, decoder, catalog));
        result.put(
            "png_small",
            measureSet(
                small, dir.resolve("warm-up/small"), warmUp, SMALL_ROUNDS, decoder, catalog));
        log.accept("re-scanning the unchanged tree ...");
        Indexer indexer =
            new Indexer(catalog, IngestOptions.defaults().withThreads(config.threads()));
        IndexReport rescan = indexer.index(List.of(photos, small), IndexListener.NONE);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", rescan.unchanged());
        m.put("seconds", round(rescan.seconds()));
        result.put("rescan_unchanged", m);
      }
      result.put("rescan_synthetic", syntheticRescan(dir.resolve("synthetic")));
      result.put("codes_load", codesLoad(dir.resolve("codes.sqlite")));
    } finally {
      deleteTree(dir);
    }
    return result;
  }

  private int megapixels() {
    return (int) Math.round(config.photoWidth() * (double) config.photoHeight() / 1e6);
  }

  /**
   * Decode-only, then full ingest, of the same files, on the same number of threads, after a
   * warm-up run on the files of {@code warmUp} (ingested into {@code warmUpCatalog}). With several
   * {@code rounds} (short, noisy sets) the two alternate, every ingest but the last into a fresh
   * catalogue of its own, and the medians are reported; the last ingest fills {@code catalog}.
   */
  private Map<String, Object> measureSet(
      Path folder,
      Path warmUp,
      Catalog warmUpCatalog,
      int rounds,
      ImageDecoder decoder,
      Catalog catalog)
      throws IOException, InterruptedException {
    List<Path> files = files(folder);
    List<Path> warmFiles = files(warmUp);
    log.accept("warm-up: " + warmFiles.size() + " other files, decode-only and ingest ...");
    decodeOnly(warmFiles, decoder);
    ingest(warmUp, warmFiles.size(), warmUpCatalog);
    double[] decodeSeconds = new double[rounds];
    double[] ingestSeconds = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      String of = " " + files.size() + " files in " + folder.getFileName();
      log.accept("decode-only:" + of + (rounds > 1 ? ", round " + (r + 1) : "") + " ...");
      decodeSeconds[r] = decodeOnly(files, decoder);
      log.accept("full ingest:" + of + (rounds > 1 ? ", round " + (r + 1) : "") + " ...");
      if (r == rounds - 1) {
        ingestSeconds[r] = ingest(folder, files.size(), catalog).seconds();
      } else {
        // A folder of its own, so that SQLite's side files go with the catalogue.
        Path scratch = catalog.file().resolveSibling("round-" + folder.getFileName() + r);
        try (Catalog fresh = Catalog.open(scratch.resolve("bench.sqlite"))) {
          ingestSeconds[r] = ingest(folder, files.size(), fresh).seconds();
        }
        deleteTree(scratch);
      }
    }
    double decode = median(decodeSeconds);
    double ingest = median(ingestSeconds);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files.size());
    m.put("warm_up_files", warmFiles.size());
    m.put("rounds", rounds);
    m.put("decode_only_images_per_s", round(files.size() / decode));
    m.put("ingest_images_per_s", round(files.size() / ingest));
    m.put("ingest_vs_decode", round(decode / ingest));
    if (rounds > 1) {
      m.put("decode_only_seconds_each_round", roundAll(decodeSeconds));
      m.put("ingest_seconds_each_round", roundAll(ingestSeconds));
    }
    log.accept("  " + m);
    return m;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static List<Double> roundAll(double[] values) {
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(round(v));
    }
    return out;
  }

  private static List<Path> files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Indexes {@code folder}, which must add all its {@code expected} files. */
  private IndexReport ingest(Path folder, int expected, Catalog catalog) throws IOException {
    Indexer indexer = new Indexer(catalog, IngestOptions.defaults().withThreads(config.threads()));
    IndexReport report = indexer.index(List.of(folder), IndexListener.NONE);
    if (report.added() != expected) {
      throw new IllegalStateException(
          "ingest added " + report.added() + " of " + expected + ": " + report.failures());
    }
    return report;
  }

  /** Reads and decodes (subsampled, as ingest does) every file on the pool; returns seconds. */
  private double decodeOnly(List<Path> files, ImageDecoder decoder) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(config.threads());
    try {
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(
            pool.submit(
                () -> {
                  byte[] bytes = Files.readAllBytes(file);
                  return decoder.decodePixels(file, bytes).getWidth();
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("decode failed: " + e.getCause(), e.getCause());
        }
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Photos: a few distinct pictures (encoding 12 MP is slow), each file made unique by a JPEG
   * comment segment with its label and number, so every file has its own fingerprint and is
   * decoded.
   */
  private void generatePhotos(Path folder, int count, String label) throws IOException {
    Files.createDirectories(folder);
    int distinct = Math.min(8, count);
    // Encoding 12 MP is slow: the distinct pictures are made in parallel, each from its own seed.
    List<byte[]> bases =
        java.util.stream.IntStream.range(0, distinct)
            .parallel()
            .mapToObj(
                i -> {
                  try {
                    return jpeg(
                        picture(
                            config.photoWidth(),
                            config.photoHeight(),
                            new Random(config.seed() + 100 + i)));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .toList();
    for (int i = 0; i < count; i++) {
      byte[] base = bases.get(i % distinct);
      byte[] comment = ("tessera bench " + label + i).getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[base.length + 4 + comment.length];
      out[0] = (byte) 0xFF;
      out[1] = (byte) 0xD8;
      out[2] = (byte) 0xFF;
      out[3] = (byte) 0xFE; // COM
      out[4] = (byte) ((comment.length + 2) >> 8);
      out[5] = (byte) (comment.length + 2);
      System.arraycopy(comment, 0, out, 6, comment.length);
      System.arraycopy(base, 2, out, 6 + comment.length, base.length - 2);
      Path file = folder.resolve("dir" + (i / 100) + "/photo" + i + ".jpg");
      Files.createDirectories(file.getParent());
      Files.write(file, out);
    }
  }

  /** 64x64 PNGs, made unique by the colour of one pixel: {@code first} to {@code first + count}. */
  private void generateSmall(Path folder, int count, int first) throws IOException {
    Random random = new Random(config.seed() + 1 + first);
    for (int i = 0; i < count; i++) {
      Path file = folder.resolve("dir" + (i / 100) + "/small" + i + ".png");
      Files.createDirectories(file.getParent());
      BufferedImage image = picture(64, 64, random);
      image.setRGB(0, 0, first + i); // unique content
      try (var out = Files.newOutputStream(file)) {
        ImageIO.write(image, "png", out);
      }
    }
  }

  /** A photo-like picture: gradients, shapes and noise (compresses like a real photo). */
  private static BufferedImage picture(int w, int h, Random random) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(
        new java.awt.GradientPaint(
            0,
            0,
            new Color(random.nextInt(0x1000000)),
            w,
            h,
            new Color(random.nextInt(0x1000000))));
    g.fillRect(0, 0, w, h);
    int shapes = Math.max(20, w * h / 4000);
    for (int i = 0; i < shapes; i++) {
      g.setColor(new Color(random.nextInt(0x1000000)));
      int s = Math.max(4, Math.min(w, h) / 12);
      g.fillOval(
          random.nextInt(w), random.nextInt(h), 2 + random.nextInt(s), 2 + random.nextInt(s));
    }
    g.dispose();
    for (int i = 0; i < w * h / 60; i++) {
      image.setRGB(random.nextInt(w), random.nextInt(h), random.nextInt(0x1000000));
    }
    return image;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  /**
   * A large unchanged tree: tiny files, catalogued directly (one item, a file row per file with its
   * real size and mtime), then re-scanned by the indexer as a user's re-index would.
   */
  private Map<String, Object> syntheticRescan(Path dir) throws IOException {
    log.accept("writing " + config.rescanFiles() + " small files for the synthetic re-scan ...");
    byte[] tiny = jpeg(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    Path root = dir.resolve("tree");
    List<Path> files = new ArrayList<>(config.rescanFiles());
    for (int i = 0; i < config.rescanFiles(); i++) {
      Path file = root.resolve("d" + (i / 1000) + "/e" + (i / 100 % 10) + "/f" + i + ".jpg");
      if (i % 100 == 0) {
        Files.createDirectories(file.getParent());
      }
      Files.write(file, tiny);
      files.add(file);
    }
    try (Catalog catalog = Catalog.open(dir.resolve("synthetic.sqlite"))) {
      long t0 = System.nanoTime();
      StoredImage tinyImage = new StoredImage(1, 1, "jpeg", tiny);
      catalog.write(
          tx -> {
            Root r = tx.roots().add(root.toAbsolutePath().normalize());
            long item =
                tx.images()
                    .add(
                        new ImageContent(
                            "synthetic", tiny.length, "jpeg", 1, 1, tinyImage, tinyImage));
            for (Path file : files) {
              BasicFileAttributes a;
              try {
                a = Files.readAttributes(file, BasicFileAttributes.class);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              FileFacts facts =
                  new FileFacts(
                      r.id(),
                      root.relativize(file).toString().replace('\\', '/'),
                      a.size(),
                      a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                      0);
              tx.files().insert(facts, "synthetic", item, null);
            }
            return null;
          });
      double catalogued = (System.nanoTime() - t0) / 1e9;
      log.accept("re-scanning " + files.size() + " unchanged files ...");
      Indexer indexer =
          new Indexer(catalog, IngestOptions.defaults().withThreads(config.threads()));
      long cpu0 = cpuNanos();
      IndexReport report = indexer.index(List.of(root), IndexListener.NONE);
      double firstCpu = (cpuNanos() - cpu0) / 1e9;
      if (report.unchanged() != files.size()) {
        throw new IllegalStateException(
            "re-scan saw " + report.unchanged() + " unchanged of " + files.size());
      }
      cpu0 = cpuNanos();
      IndexReport again = indexer.index(List.of(root), IndexListener.NONE);
      double secondCpu = (cpuNanos() - cpu0) / 1e9;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("files", files.size());
      m.put("catalogue_rows_seconds", round(catalogued));
      m.put("first_rescan_seconds", round(report.seconds()));
      m.put("second_rescan_seconds", round(again.seconds()));
      m.put("first_rescan_cpu_seconds", round(firstCpu));
      m.put("second_rescan_cpu_seconds", round(secondCpu));
      log.accept("  " + m);
      return m;
    }
  }

  /** Loads 1,000,000 64-bit and 128-bit codes through {@link CodeStore}. */
  private Map<String, Object> codesLoad(Path file) {
    int n = 1_000_000;
    Map<String, Object> m = new LinkedHashMap<>();
    try (Catalog catalog = Catalog.open(file)) {
      for (int bits : new int[] {64, 128}) {
        long model =
            new ModelStore(catalog)
                .add(
                    new ModelStore.Model(
                        0, "bench", "bench", bits, "-", "-", null, null, 0, null, null));
        int words = bits / 64;
        long[] ids = new long[n];
        long[] codes = new long[n * words];
        Random random = new Random(config.seed());
        for (int i = 0; i < n; i++) {
          ids[i] = i + 1;
        }
        for (int i = 0; i < codes.length; i++) {
          codes[i] = random.nextLong();
        }
        CodeStore store = new CodeStore(catalog);
        store.put(model, ids, codes, bits);
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
          long t0 = System.nanoTime();
          CodeStore.Codes loaded = store.load(model);
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
          if (loaded.size() != n) {
            throw new IllegalStateException("loaded " + loaded.size());
          }
        }
        m.put(bits + "bit_million_codes_per_s", round(n / best / 1e6));
      }
    }
    log.accept("  codes load " + m);
    return m;
  }

  /** CPU time of this process (all threads): shows the work done on a shared, busy machine. */
  private static long cpuNanos() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
        .getProcessCpuTime();
  }

  private Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("threads", config.threads());
    m.put(
        "load_average_at_start",
        round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    m.put("java", Runtime.version().toString());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
