package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.Hashes;
import app.tessera.engine.IndexListener;
import app.tessera.engine.download.ModelPack;
import app.tessera.engine.encode.ClipModel;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import app.tessera.engine.search.SearchResults;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path a photo archive takes with pretrained encoders, the generated CLIP fixture (same files
 * and signatures as CLIP ViT-B/32, tiny random weights) standing in for CLIP: a library indexed, a
 * label-free ITQ model fitted on its own features and bundled, searches with it, switching models,
 * a changed bundle refused, and re-coding that leaves the active model alone until it completes.
 */
class LibraryItqTest {
  private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

  @TempDir Path dir;
  private String previousHome;

  @BeforeEach
  void isolateDataDir() {
    previousHome = System.getProperty(AppDirs.HOME_PROPERTY);
    System.setProperty(AppDirs.HOME_PROPERTY, dir.resolve("home").toString());
  }

  @AfterEach
  void restoreDataDir() {
    if (previousHome == null) {
      System.clearProperty(AppDirs.HOME_PROPERTY);
    } else {
      System.setProperty(AppDirs.HOME_PROPERTY, previousHome);
    }
  }

  /** The fixture installed in the models folder as a pack pinned to its own files. */
  private static ModelPack installFixture() throws IOException {
    Path packDir = Files.createDirectories(AppDirs.modelsDir().resolve("clip-fixture"));
    List<ModelPack.File> files = new ArrayList<>();
    for (String name : new String[] {ClipModel.VISION, ClipModel.TEXT, ClipModel.TOKENIZER}) {
      Path file = packDir.resolve(name);
      try (InputStream in =
          ClipModel.class.getResourceAsStream("/app/tessera/engine/encode/clip-fixture/" + name)) {
        Files.copy(in, file);
      }
      files.add(
          new ModelPack.File(name, file.toUri().toString(), Hashes.sha256(file), Files.size(file)));
    }
    return new ModelPack("clip-fixture", "test", "test", files);
  }

  /** {@code n} photos with caption sidecars: a coloured square or circle, "a red square". */
  private Path photos(int n, boolean captionsMatch) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("photos"));
    Random random = new Random(11);
    for (int i = 0; i < n; i++) {
      BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 32, 32);
      g.setColor(RGB[i % 4]);
      if (i % 2 == 0) {
        g.fillRect(4 + i % 5, 4 + i % 3, 18, 18);
      } else {
        g.fillOval(4 + i % 3, 4 + i % 5, 18, 18);
      }
      g.dispose();
      ImageIO.write(image, "png", folder.resolve("photo-" + i + ".png").toFile());
      String caption =
          captionsMatch
              ? "a " + COLOURS[i % 4] + " " + (i % 2 == 0 ? "square" : "circle") + " " + i
              : "note " + Long.toHexString(random.nextLong());
      Files.writeString(folder.resolve("photo-" + i + ".txt"), caption);
    }
    return folder;
  }

  private static void index(Library library, Path folder) throws IOException {
    library.index(
        List.of(folder), IndexSettings.defaults(), IndexListener.NONE, new Cancellation());
  }

  private static TrainRequest request(String method, int bits) {
    return new TrainRequest(method, bits, 2, 1, Device.CPU, Map.of());
  }

  private static String active(Library library) {
    return library.activeModel().map(ModelInfo::name).orElse("none");
  }

  @Test
  void itqOnClipFeaturesMakesABundleSearchesUseItModelsSwitchAndAChangedBundleIsRefused()
      throws IOException {
    ModelPack pack = installFixture();
    Path photos = photos(24, true);
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        EncoderPair clip = EncoderPair.clip(pack, AppDirs.modelsDir().resolve("clip-fixture"))) {
      index(library, photos);
      Path itqDir = AppDirs.modelsDir().resolve("clip-itq-16");
      TrainingReport itq =
          library.train(
              clip, request("itq", 16), "clip-itq-16", itqDir, new Cancellation(), l -> {});
      // 24 images and 24 captions, unpaired, less the evaluation queries (about a tenth) with
      // their captions: a model never fits on those
      assertThat(itq.rows()).isLessThan(48).isGreaterThanOrEqualTo(36).isEven();
      assertThat(itq.pairs()).isZero();
      assertThat(itq.validated()).isFalse();
      assertThat(itq.activated()).isTrue();
      assertThat(itq.coding().coded()).isEqualTo(48);
      assertThat(active(library)).isEqualTo("clip-itq-16");

      ModelBundle.Manifest manifest;
      try (ModelBundle bundle = ModelBundle.open(library.defaultBundleDir(), Device.CPU)) {
        manifest = bundle.manifest();
        assertThat(manifest.imageEncoder()).isEqualTo("clip");
        assertThat(manifest.textEncoder()).isEqualTo("clip");
        assertThat(manifest.pack().name()).isEqualTo("clip-fixture");
        assertThat(manifest.imageEncoderId()).startsWith("clip-fixture-image@");
        assertThat(manifest.sha256()).containsKey("hash/itq.json");
        assertThat(itqDir.resolve("image-encoder")).doesNotExist(); // CLIP stays in its pack

        Search search = library.search(bundle);
        assertThat(search.imageCount()).isEqualTo(24);
        assertThat(search.uncodedImages() + search.uncodedCaptions()).isZero();
        // --text: a caption's own text has its own code (others may share it at 16 bits).
        SearchResults captions =
            search.search(
                Query.builder()
                    .text("a green circle 5")
                    .target(Query.Target.CAPTIONS)
                    .top(24)
                    .build());
        assertThat(captions.hits().getFirst().distance()).isZero();
        assertThat(captions.hits().stream().filter(h -> h.distance() == 0).map(SearchHit::caption))
            .contains("a green circle 5");
        // --image: a library file encodes to its own code.
        Path photo = photos.resolve("photo-7.png");
        SearchResults images =
            search.search(
                Query.builder().image(photo, 1).target(Query.Target.IMAGES).top(3).build());
        assertThat(images.hits().getFirst().distance()).isZero();
        assertThat(images.hits().stream().filter(h -> h.distance() == 0).map(SearchHit::path))
            .contains(photo.toAbsolutePath());
      }

      // A second model; `models use` switches back and forth.
      TrainingReport rotation =
          library.train(
              clip,
              request("rotation", 32),
              "clip-rotation-32",
              AppDirs.modelsDir().resolve("clip-rotation-32"),
              new Cancellation(),
              l -> {});
      assertThat(rotation.activated()).isTrue();
      assertThat(library.models())
          .extracting(ModelInfo::name)
          .contains("clip-itq-16", "clip-rotation-32");
      assertThat(library.use("clip-itq-16", Device.CPU, new Cancellation(), l -> {}).remaining())
          .isZero();
      assertThat(active(library)).isEqualTo("clip-itq-16");
      assertThat(library.defaultBundleDir()).isEqualTo(itqDir.toAbsolutePath());
      library.use("clip-rotation-32", Device.CPU, new Cancellation(), l -> {});
      assertThat(active(library)).isEqualTo("clip-rotation-32");
      assertThatThrownBy(() -> library.use("nope", Device.CPU, new Cancellation(), l -> {}))
          .hasMessageContaining("No model called 'nope'")
          .hasMessageContaining("clip-itq-16");

      // A changed file of the ITQ bundle: refused, and the active model stays.
      Path model = itqDir.resolve("hash/itq.json");
      Files.writeString(model, Files.readString(model).replaceFirst("\\d", "7"));
      assertThatThrownBy(() -> library.use("clip-itq-16", Device.CPU, new Cancellation(), l -> {}))
          .isInstanceOf(BundleChecksumException.class)
          .hasMessageContaining("hash/itq.json");
      assertThat(active(library)).isEqualTo("clip-rotation-32");
    }
  }

  @Test
  void reCodingWithAnotherModelLeavesTheActiveOneUntilEveryItemHasItsCode() throws IOException {
    ModelPack pack = installFixture();
    Path photos = photos(24, true);
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        EncoderPair clip = EncoderPair.clip(pack, AppDirs.modelsDir().resolve("clip-fixture"))) {
      index(library, photos);
      library.train(
          clip,
          request("itq", 16),
          "first",
          AppDirs.modelsDir().resolve("first"),
          new Cancellation(),
          l -> {});
      // A second model, registered and coded by nobody yet (as if a run was killed early).
      Path secondDir = AppDirs.modelsDir().resolve("second");
      library.train(
          clip, request("rotation", 32), "second", secondDir, new Cancellation(), l -> {});
      library.use("first", Device.CPU, new Cancellation(), l -> {});
      try (Library other = Library.open(dir.resolve("other.sqlite"))) {
        assertThat(other.models()).isEmpty();
      }
      // Re-code a library that has never seen "second": index a copy, stop after one batch.
      try (Library copy = Library.open(dir.resolve("copy.sqlite"))) {
        index(copy, photos);
        try (ModelBundle first =
                ModelBundle.open(AppDirs.modelsDir().resolve("first"), Device.CPU);
            ModelBundle second = ModelBundle.open(secondDir, Device.CPU)) {
          copy.code(first, new Cancellation(), l -> {});
          copy.activate(copy.register(first));
          copy.register(second);
          Search search = copy.search(first);
          Cancellation cancel = new Cancellation();
          CodingReport stopped =
              copy.use(
                  "second",
                  Device.CPU,
                  cancel,
                  line -> {
                    if (line.startsWith("coded")) {
                      cancel.cancel(); // after the images' batch, before the captions'
                    }
                  });
          assertThat(stopped.coded()).isEqualTo(24);
          assertThat(stopped.remaining()).isEqualTo(24);
          assertThat(active(copy)).isEqualTo("first");
          // Searches with the active model still see every item.
          assertThat(search.imageCount()).isEqualTo(24);
          assertThat(search.captionCount()).isEqualTo(24);

          CodingReport resumed = copy.use("second", Device.CPU, new Cancellation(), l -> {});
          assertThat(resumed.coded()).isEqualTo(24); // only the captions were left
          assertThat(resumed.remaining()).isZero();
          assertThat(active(copy)).isEqualTo("second");
        }
      }
    }
  }

  @Test
  void aModelThatDoesNotBeatChanceOnItsValidationRowsIsReportedAndNotActivated()
      throws IOException {
    ModelPack pack = installFixture();
    Path photos = photos(60, false); // captions that say nothing about the pictures
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        EncoderPair clip = EncoderPair.clip(pack, AppDirs.modelsDir().resolve("clip-fixture"))) {
      index(library, photos);
      TrainingReport report =
          library.train(
              clip,
              request("contrastive", 16),
              "noise",
              AppDirs.modelsDir().resolve("noise"),
              new Cancellation(),
              l -> {});
      assertThat(report.validated()).isTrue();
      assertThat(report.validation()).isLessThanOrEqualTo(report.chance());
      assertThat(report.beatsChance()).isFalse();
      assertThat(report.activated()).isFalse();
      assertThat(report.coding()).isNull();
      assertThat(library.activeModel()).isEmpty();
      assertThat(library.models()).extracting(ModelInfo::name).containsExactly("noise");
    }
  }
}
