package app.tessera.engine.library;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.Device;
import app.tessera.engine.encode.MiniLmTextEncoder;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.hashing.TrainingListener;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.ingest.IndexListener;
import app.tessera.engine.ingest.IndexOptions;
import app.tessera.engine.ingest.Indexer;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import app.tessera.engine.search.SearchResults;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.CodeStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder indexed, a bundle built from tiny real networks, codes for every image and caption. */
class LibrarySearchTest {
  private static final long SEED = 5;
  private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

  @TempDir Path dir;

  private static void photo(Path folder, int i) throws Exception {
    BufferedImage image = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 24, 24);
    g.setColor(RGB[i % 4]);
    if (i % 2 == 0) {
      g.fillRect(4 + i % 3, 4, 14, 14);
    } else {
      g.fillOval(4, 4 + i % 3, 14, 14);
    }
    g.dispose();
    Path file = folder.resolve("photo-" + i + ".png");
    ImageIO.write(image, "png", file.toFile());
    String shape = i % 2 == 0 ? "square" : "circle";
    Files.writeString(folder.resolve("photo-" + i + ".txt"), "a " + COLOURS[i % 4] + " " + shape);
  }

  @Test
  void encodesOnlyWhatIsNewAndCodesEveryImageAndCaption() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < 8; i++) {
      photo(photos, i);
    }
    try (Catalog catalog = Catalog.open(dir.resolve("library.sqlite"))) {
      new Indexer(catalog, IndexOptions.defaults()).index(List.of(photos), IndexListener.NONE);

      Path bundleDir = dir.resolve("bundle");
      buildBundle(photos, bundleDir);
      try (ModelBundle bundle = ModelBundle.open(bundleDir, Device.CPU)) {
        List<String> lines = new ArrayList<>();
        LibraryCoder.Result first = LibraryCoder.update(catalog, bundle, lines::add);
        assertThat(first.imagesEncoded()).isEqualTo(8);
        assertThat(first.captionsEncoded()).isEqualTo(8);
        assertThat(first.codes()).isEqualTo(16);
        CodeStore.Codes codes = new CodeStore(catalog).load(first.modelId());
        assertThat(codes.bits()).isEqualTo(16);
        assertThat(codes.itemIds()).hasSize(16).doesNotHaveDuplicates();

        LibraryCoder.Result again = LibraryCoder.update(catalog, bundle, lines::add);
        assertThat(again.modelId()).isEqualTo(first.modelId());
        assertThat(again.imagesEncoded()).isZero();
        assertThat(again.captionsEncoded()).isZero();
        assertThat(new CodeStore(catalog).load(first.modelId()).codes())
            .containsExactly(codes.codes());

        photo(photos, 8);
        new Indexer(catalog, IndexOptions.defaults()).index(List.of(photos), IndexListener.NONE);
        LibraryCoder.Result grown = LibraryCoder.update(catalog, bundle, lines::add);
        assertThat(grown.imagesEncoded()).isEqualTo(1);
        assertThat(grown.captionsEncoded()).isEqualTo(1);
        assertThat(new CodeStore(catalog).load(first.modelId()).size()).isEqualTo(18);
      }
    }
  }

  @Test
  void searchesTheFourDirectionsOverTheLibrary() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < 8; i++) {
      photo(photos, i);
    }
    try (Catalog catalog = Catalog.open(dir.resolve("library.sqlite"))) {
      new Indexer(catalog, IndexOptions.defaults()).index(List.of(photos), IndexListener.NONE);
      buildBundle(photos, dir.resolve("bundle"));
      try (ModelBundle bundle = ModelBundle.open(dir.resolve("bundle"), Device.CPU)) {
        LibrarySearch search = LibrarySearch.open(catalog, bundle, line -> {});
        assertThat(search.imageCount()).isEqualTo(8);
        assertThat(search.captionCount()).isEqualTo(8);

        // text -> caption: a caption's own text ranks first, at distance 0 (MiniLM encodes each
        // text alone, so the caption in the library and the query get the same code).
        SearchResults captions =
            search.search(
                Query.builder().text("a blue square").target(Query.Target.CAPTIONS).top(8).build());
        assertThat(captions.hits()).hasSize(8);
        int best = captions.hits().getFirst().distance();
        assertThat(best).isZero();
        assertThat(
                captions.hits().stream().filter(h -> h.distance() == best).map(SearchHit::caption))
            .contains("a blue square");

        // image -> image: a library file encodes to its own code (same decoder as ingest).
        Path query = photos.resolve("photo-3.png");
        SearchResults images =
            search.search(
                Query.builder().image(query, 1).target(Query.Target.IMAGES).top(8).build());
        assertThat(images.hits()).hasSize(8);
        assertThat(images.hits().getFirst().distance()).isZero();
        assertThat(images.hits().stream().filter(h -> h.distance() == 0).map(SearchHit::path))
            .contains(query.toAbsolutePath());

        // text -> image and image -> caption return results with paths and 0-1 scores.
        SearchResults textToImage =
            search.search(
                Query.builder().text("a red circle").target(Query.Target.IMAGES).top(4).build());
        assertThat(textToImage.hits())
            .hasSize(4)
            .allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        SearchResults imageToCaption =
            search.search(
                Query.builder().image(query, 1).target(Query.Target.CAPTIONS).top(4).build());
        assertThat(imageToCaption.hits())
            .hasSize(4)
            .allSatisfy(h -> assertThat(h.caption()).startsWith("a "));
      }
    }
  }

  /** A 16-px CNN trained one epoch against MiniLM, and a 16-bit contrastive head, as a bundle. */
  private void buildBundle(Path photos, Path bundleDir) throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      images.add(ImageIO.read(photos.resolve("photo-" + i + ".png").toFile()));
      captions.add(Files.readString(photos.resolve("photo-" + i + ".txt")));
    }
    float[][] texts;
    try (MiniLmTextEncoder minilm = MiniLmTextEncoder.open(dir.resolve("minilm"))) {
      texts = minilm.encode(captions);
    }
    TesseraCnnTrainer.Options options =
        new TesseraCnnTrainer.Options(
            16, 4, 4, 1, 1, 3e-3, 0.1, 0, Duration.ofMinutes(2), SEED, Device.CPU);
    TesseraCnnTrainer.Result cnn =
        TesseraCnnTrainer.train(images, texts, captions, "minilm", options, (e, n, l, s) -> {});
    Path cnnDir = dir.resolve("cnn");
    try (var encoder = cnn.encoder()) {
      encoder.save(cnnDir);
      float[][] imageFeatures = encoder.encode(images);
      FeatureSet pairs = new FeatureSet(imageFeatures, texts, null);
      TrainingOptions hashing = new TrainingOptions(16, 2, SEED, Device.CPU, null, Map.of());
      try (HashModel hash =
          HashingMethods.byName("contrastive")
              .train(pairs, pairs, hashing, TrainingListener.NONE)) {
        ModelBundle.write(
            bundleDir,
            new ModelBundle.Manifest("test-16", "contrastive", 16, "tessera-cnn", "minilm", "test"),
            cnnDir,
            hash);
      }
    }
  }
}
