package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.search.Query;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemKind;
import app.tessera.engine.store.ItemStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a library's own labelled images with typed progress and cancellation, and evaluating
 * a model on the library's labelled items, with the shipped default model as the base.
 */
class LibraryTrainingTest {
  private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

  @TempDir static Path dir;
  private static String previousHome;
  private static Path photos;

  @BeforeAll
  static void isolateDataDirAndDraw() throws IOException {
    previousHome = System.getProperty(AppDirs.HOME_PROPERTY);
    System.setProperty(AppDirs.HOME_PROPERTY, dir.resolve("home").toString());
    photos = dir.resolve("photos");
    for (int i = 0; i < 40; i++) {
      Path folder = Files.createDirectories(photos.resolve(COLOURS[i % 4]));
      BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 32, 32);
      g.setColor(RGB[i % 4]);
      if (i % 2 == 0) {
        g.fillRect(2 + i / 4, 6, 18, 18); // each picture different
      } else {
        g.fillOval(6, 2 + i / 4, 18, 18);
      }
      g.dispose();
      ImageIO.write(image, "png", folder.resolve("p" + i + ".png").toFile());
      Files.writeString(
          folder.resolve("p" + i + ".txt"),
          "a " + COLOURS[i % 4] + " " + (i % 2 == 0 ? "square" : "circle"));
    }
  }

  @AfterAll
  static void restoreDataDir() {
    if (previousHome == null) {
      System.clearProperty(AppDirs.HOME_PROPERTY);
    } else {
      System.setProperty(AppDirs.HOME_PROPERTY, previousHome);
    }
  }

  private static Library labelledLibrary(String name) throws IOException {
    Library library = Library.open(dir.resolve(name + ".sqlite"));
    library.index(
        List.of(photos), new IndexSettings(1, true), IndexListener.NONE, new Cancellation());
    return library;
  }

  private static TrainRequest request(int epochs) {
    return new TrainRequest("contrastive", 16, epochs, 7, Device.CPU, Map.of());
  }

  /** Records what a front end is told. */
  private static class Recorder implements TrainingProgress {
    final List<double[]> epochs = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    int codedTotal;

    @Override
    public void message(String line) {
      lines.add(line);
    }

    @Override
    public void coding(int done, int total) {
      codedTotal = total;
    }

    @Override
    public void epoch(int epoch, int epochs, double loss, double validationMap) {
      this.epochs.add(new double[] {epoch, epochs, loss, validationMap});
    }
  }

  @Test
  void trainsWithAnEventPerEpochLeavesTheQueriesOutAndEvaluatesOnTheLabels() throws Exception {
    Recorder progress = new Recorder();
    try (Library library = labelledLibrary("trained");
        ModelBundle base = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU)) {
      Path bundleDir = dir.resolve("bundles/colours");
      TrainingReport report =
          library.train(
              base.encoders(), request(3), "colours", bundleDir, new Cancellation(), progress);

      assertThat(progress.epochs).hasSize(3);
      assertThat(progress.epochs)
          .allSatisfy(
              e -> {
                assertThat(e[1]).isEqualTo(3);
                assertThat(e[2]).isFinite();
                assertThat(e[3]).isBetween(0.0, 1.0); // validation mAP of the held-out tenth
              });
      long queries = queryImages(library);
      assertThat(queries).isPositive();
      assertThat(report.pairs()).isEqualTo(40 - queries);
      // The held-out tenth is a handful of images that any coding ranks perfectly (mAP 1.0 =
      // chance 1.0): the model cannot show it beats chance, so it is registered, neither coded
      // nor activated, and `use` does both when asked.
      assertThat(report.validated()).isTrue();
      assertThat(report.beatsChance()).isFalse();
      assertThat(report.coding()).isNull();
      assertThat(report.activated()).isFalse();
      assertThat(progress.codedTotal).isZero();
      assertThat(library.models()).extracting(ModelInfo::name).contains("colours");
      assertThat(library.activeModel().map(ModelInfo::name).orElse("none")).isNotEqualTo("colours");

      CodingReport coded =
          library.use(
              "colours",
              Device.CPU,
              new Cancellation(),
              new CodingListener() {
                @Override
                public void progress(int done, int total) {
                  progress.codedTotal = total;
                }
              });
      assertThat(progress.codedTotal).isEqualTo(80); // the new model codes 40 images, 40 captions
      assertThat(coded.remaining()).isZero();
      assertThat(library.activeModel().map(ModelInfo::name)).contains("colours");

      try (ModelBundle trained = ModelBundle.open(bundleDir, Device.CPU)) {
        Search search = library.search(trained);
        assertThat(search.imageCount()).isEqualTo(40);
        assertThat(search.search(Query.builder().text("a blue square").build()).hits())
            .isNotEmpty();
      }

      LibraryEvaluation evaluation = library.evaluate(report.model());
      assertThat(evaluation.labels()).isEqualTo(4);
      assertThat(evaluation.queryImages()).isEqualTo((int) queries);
      assertThat(evaluation.databaseImages()).isEqualTo(40 - (int) queries);
      assertThat(evaluation.rankings())
          .extracting(LibraryEvaluation.Ranking::direction)
          .containsExactly("image → text", "text → image");
      assertThat(evaluation.rankings())
          .allSatisfy(
              r -> {
                assertThat(r.map()).isBetween(0.0, 1.0);
                assertThat(r.chanceMap()).isBetween(0.0, 1.0);
                assertThat(r.cosineMap()).isBetween(0.0, 1.0);
                assertThat(r.precisionByRadius()).hasSize(17);
                assertThat(r.recallByRadius()[16]).isEqualTo(1.0); // everything within radius K
                assertThat(r.precisionAtK()).hasSameSizeAs(r.cutoffs());
              });
    }
  }

  @Test
  void cancellingTrainingStopsAfterTheEpochAndWritesNothing() throws Exception {
    Cancellation cancel = new Cancellation();
    Recorder progress =
        new Recorder() {
          @Override
          public void epoch(int epoch, int epochs, double loss, double validationMap) {
            super.epoch(epoch, epochs, loss, validationMap);
            cancel.cancel();
          }
        };
    try (Library library = labelledLibrary("cancelled");
        ModelBundle base = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU)) {
      Path bundleDir = dir.resolve("bundles/never");
      assertThatThrownBy(
              () ->
                  library.train(base.encoders(), request(20), "never", bundleDir, cancel, progress))
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("after epoch 1");
      assertThat(progress.epochs).hasSize(1);
      assertThat(bundleDir).doesNotExist();
      assertThat(library.models()).extracting(ModelInfo::name).doesNotContain("never");
    }
  }

  @Test
  void aLibraryWithoutLabelsSaysWhyItCannotBeEvaluated() throws Exception {
    try (Library library = Library.open(dir.resolve("unlabelled.sqlite"));
        ModelBundle base = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU)) {
      library.index(
          List.of(photos.resolve("red")),
          new IndexSettings(1, false),
          IndexListener.NONE,
          new Cancellation());
      library.code(base, new Cancellation(), CodingListener.NONE);
      ModelInfo model = library.register(base);
      assertThatThrownBy(() -> library.evaluate(model))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no labels");
    }
  }

  /** The library's evaluation queries, as the engine chooses them. */
  private static long queryImages(Library library) {
    try (Catalog catalog = Catalog.openReadOnly(library.file())) {
      ItemStore items = new ItemStore(catalog);
      LibrarySplit split = LibrarySplit.of(items);
      return Arrays.stream(items.ids(ItemKind.IMAGE)).filter(split::isQuery).count();
    }
  }
}
