// The "before" side of `tessera bench coding`: the same scenario on the code before the
// incremental coding (main at d587bef), whose LibraryCoder.update hashes every cached feature and
// replaces every code. Run from a build of that commit:
//   java --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Dai.djl.offline=true \
//     -cp "desktop-app/target/desktop-app-0.1.0-SNAPSHOT.jar:$(cat desktop-app/target/classpath.txt)" \
//     OldCodingBench.java 100000 5
import app.tessera.app.ShippedModels;
import app.tessera.engine.Device;
import app.tessera.engine.ingest.IndexListener;
import app.tessera.engine.ingest.IndexOptions;
import app.tessera.engine.ingest.Indexer;
import app.tessera.engine.library.LibraryCoder;
import app.tessera.engine.library.ModelBundle;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.LibraryRecords;
import app.tessera.engine.store.StoredImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

public class OldCodingBench {
  static byte[] png(int side, Color colour) throws Exception {
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

  public static void main(String[] args) throws Exception {
    int items = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path dir = Files.createTempDirectory("tessera-bench-coding-before");
    System.out.println("load average at start " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (ModelBundle bundle = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU);
        Catalog catalog = Catalog.open(dir.resolve("library.sqlite"))) {
      byte[] png = png(8, Color.GRAY);
      StoredImage thumbnail = new StoredImage(8, 8, "png", png);
      Path root = Files.createDirectories(dir.resolve("generated"));
      long t0 = System.nanoTime();
      long rootId = catalog.write(c -> LibraryRecords.addRoot(c, root.toString())).id();
      for (int from = 0; from < items; from += 8192) {
        int to = Math.min(items, from + 8192);
        List<LibraryRecords.NewImage> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
          batch.add(new LibraryRecords.NewImage(rootId, "g/" + i + ".png", png.length, i, 0,
              "bench:" + i, "png", 8, 8, thumbnail, thumbnail));
        }
        catalog.write(c -> LibraryRecords.insertNewImages(c, batch));
      }
      FeatureStore features = new FeatureStore(catalog);
      long[] ids = features.missing(bundle.imageEncoder().id(), "image").stream().mapToLong(Long::longValue).toArray();
      int dim = bundle.imageEncoder().encode(List.of(new BufferedImage(8, 8, 1)))[0].length;
      Random random = new Random(42);
      for (int from = 0; from < ids.length; from += 8192) {
        long[] part = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + 8192));
        float[][] vectors = new float[part.length][dim];
        for (float[] v : vectors) for (int j = 0; j < dim; j++) v[j] = (float) random.nextGaussian();
        features.put(bundle.imageEncoder().id(), part, vectors);
      }
      System.out.printf("generated %d items in %.1f s%n", items, (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      LibraryCoder.Result first = LibraryCoder.update(catalog, bundle, line -> {});
      System.out.printf("first coding: %d codes in %.3f s%n", first.codes(), (System.nanoTime() - t0) / 1e9);
      List<Double> seconds = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        Path folder = dir.resolve("new-" + round);
        Files.createDirectories(folder);
        Files.write(folder.resolve("new.png"), png(48, new Color(40 * round % 256, 120, 200)));
        new Indexer(catalog, IndexOptions.defaults()).index(List.of(folder), IndexListener.NONE);
        long start = System.nanoTime();
        LibraryCoder.Result r = LibraryCoder.update(catalog, bundle, line -> {});
        double s = (System.nanoTime() - start) / 1e9;
        seconds.add(s);
        System.out.printf("round %d: %d images encoded, %d codes written (every item) in %.3f s%n",
            round + 1, r.imagesEncoded(), r.codes(), s);
      }
      List<Double> sorted = seconds.stream().sorted().toList();
      System.out.printf("median %.3f s over %d rounds%n", sorted.get(sorted.size() / 2), rounds);
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }
}
