package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.encode.ImageEncoder;
import app.tessera.engine.encode.MiniLmTextEncoder;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.encode.TextEncoder;
import app.tessera.engine.encode.TokenRows;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.search.MatchReason;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import app.tessera.engine.search.SearchResults;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.FeatureStore;
import app.tessera.engine.store.ItemKind;
import app.tessera.engine.train.TrainingListener;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library API end to end: a folder indexed, a bundle built from tiny real networks, codes made
 * only for what is new (token features too, for a model that reads them), live and read-only
 * searches.
 */
class LibraryTest {
  private static final long SEED = 5;
  private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};

  @TempDir Path dir;
  @TempDir static Path shared;

  private static void photo(Path folder, int i) throws IOException {
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

  @BeforeAll
  static void bundle() throws Exception {
    Path photos = Files.createDirectories(shared.resolve("photos"));
    for (int i = 0; i < 8; i++) {
      photo(photos, i);
    }
    buildBundle(photos, shared.resolve("bundle"));
  }

  private static ModelBundle openBundle() throws IOException {
    return ModelBundle.open(shared.resolve("bundle"), Device.CPU);
  }

  private Path photos(int n) throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < n; i++) {
      photo(photos, i);
    }
    return photos;
  }

  private static IndexReport index(Library library, Path folder) throws IOException {
    return library.index(
        List.of(folder), IndexSettings.defaults(), IndexListener.NONE, new Cancellation());
  }

  private static CodingReport code(Library library, ModelBundle bundle) {
    return library.code(bundle, new Cancellation(), line -> {});
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void codesOnlyWhatIsNewAndKeepsEveryOtherCode() throws Exception {
    Path photos = photos(8);
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        ModelBundle bundle = openBundle()) {
      index(library, photos);
      CodingReport first = code(library, bundle);
      assertThat(first.imagesEncoded()).isEqualTo(8);
      assertThat(first.captionsEncoded()).isEqualTo(8);
      assertThat(first.coded()).isEqualTo(16);
      assertThat(first.remaining()).isZero();
      ModelInfo model = library.register(bundle);
      assertThat(model.bits()).isEqualTo(16);
      assertThat(library.models()).extracting(ModelInfo::name).containsExactly("test-16");

      CodingReport again = code(library, bundle);
      assertThat(again.coded()).isZero();
      assertThat(again.imagesEncoded() + again.captionsEncoded()).isZero();

      photo(photos, 8);
      index(library, photos);
      CodingReport grown = code(library, bundle);
      assertThat(grown.imagesEncoded()).isEqualTo(1);
      assertThat(grown.captionsEncoded()).isEqualTo(1);
      assertThat(grown.coded()).isEqualTo(2);
      Search search = library.search(bundle);
      assertThat(search.imageCount()).isEqualTo(9);
      assertThat(search.captionCount()).isEqualTo(9);
      assertThat(search.uncodedImages() + search.uncodedCaptions()).isZero();
    }
  }

  @Test
  void codingStopsWhenCancelledAndResumesWhereItStopped() throws Exception {
    Path photos = photos(8);
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        ModelBundle bundle = openBundle()) {
      index(library, photos);
      Cancellation cancel = new Cancellation();
      CodingReport stopped = // stops after the first batch
          library.code(
              bundle,
              cancel,
              line -> {
                if (line.startsWith("coded")) {
                  cancel.cancel();
                }
              });
      assertThat(stopped.coded()).isEqualTo(8); // the images
      assertThat(stopped.remaining()).isEqualTo(8); // the captions
      Search search = library.search(bundle);
      assertThat(search.imageCount()).isEqualTo(8);
      assertThat(search.uncodedCaptions()).isEqualTo(8);

      CodingReport resumed = code(library, bundle);
      assertThat(resumed.imagesEncoded()).isZero();
      assertThat(resumed.coded()).isEqualTo(8);
      assertThat(search.captionCount()).isEqualTo(8); // the live search saw it
      assertThat(search.uncodedCaptions()).isZero();
    }
  }

  @Test
  void aModelThatReadsTokensIsCodedFromTheTokensOfItsEncodersOnlyWhatIsNew() throws Exception {
    Path photos = photos(8);
    Path file = dir.resolve("library.sqlite");
    Path scahnDir = dir.resolve("scahn-bundle");
    try (ModelBundle base = openBundle()) {
      buildScahnBundle(base, photos, scahnDir);
    }
    try (Library library = Library.open(file);
        ModelBundle base = openBundle();
        ModelBundle scahn = ModelBundle.open(scahnDir, Device.CPU)) {
      assertThat(scahn.hashModel().readsTokens()).isTrue();
      index(library, photos);
      code(library, base); // pooled features cached; no tokens for a model that reads none
      Coder.Feature tokens = Coder.Feature.tokens(scahn.encoders());
      try (Catalog catalog = Catalog.openReadOnly(file)) {
        assertThat(new FeatureStore(catalog).missing(tokens.id(ItemKind.IMAGE), ItemKind.IMAGE))
            .hasSize(8);
      }

      CodingReport first = code(library, scahn);
      assertThat(first.imagesEncoded()).isEqualTo(8); // their tokens: the pooled ones are cached
      assertThat(first.captionsEncoded()).isEqualTo(8);
      assertThat(first.coded()).isEqualTo(16);
      try (Catalog catalog = Catalog.openReadOnly(file)) {
        FeatureStore features = new FeatureStore(catalog);
        assertThat(features.missing(tokens.id(ItemKind.IMAGE), ItemKind.IMAGE)).isEmpty();
        assertThat(features.missing(tokens.id(ItemKind.CAPTION), ItemKind.CAPTION)).isEmpty();
      }
      // A query is coded from its own tokens, as the stored codes were: an image finds itself.
      Search search = library.search(scahn);
      Path three = Files.copy(photos.resolve("photo-3.png"), dir.resolve("three.png"));
      assertThat(search.search(Query.builder().image(three, 1).top(8).build()).hits())
          .first()
          .satisfies(hit -> assertThat(hit.distance()).isZero());

      photo(photos, 8);
      index(library, photos);
      CodingReport grown = code(library, scahn);
      assertThat(grown.imagesEncoded()).isEqualTo(1);
      assertThat(grown.captionsEncoded()).isEqualTo(1);
      assertThat(grown.coded()).isEqualTo(2);
      assertThat(search.imageCount()).isEqualTo(9);
    }
  }

  @Test
  void aLiveSearchFollowsCodingIndexingAndPruning() throws Exception {
    Path photos = photos(8);
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        ModelBundle bundle = openBundle()) {
      index(library, photos);
      Search search = library.search(bundle);
      assertThat(search.imageCount()).isZero();
      assertThat(search.uncodedImages()).isEqualTo(8);

      code(library, bundle);
      assertThat(search.imageCount()).isEqualTo(8);
      assertThat(search.captionCount()).isEqualTo(8);
      Path three = Files.copy(photos.resolve("photo-3.png"), dir.resolve("three.png"));
      Query sameImage = Query.builder().image(three, 1).top(8).build();
      assertThat(search.search(sameImage).hits().getFirst().distance()).isZero();

      Files.delete(photos.resolve("photo-3.png"));
      index(library, photos); // photo-3 is missing now: it and its caption leave the search
      assertThat(search.imageCount()).isEqualTo(7);
      assertThat(search.captionCount()).isEqualTo(7);
      assertThat(search.search(sameImage).hits())
          .extracting(SearchHit::path)
          .doesNotContain(photos.resolve("photo-3.png").toAbsolutePath());
      assertThat(library.prune().items()).isEqualTo(2);
      assertThat(search.imageCount()).isEqualTo(7);

      photo(photos, 3); // back, as new content would be: indexed, then coded, then found
      index(library, photos);
      assertThat(search.uncodedImages()).isEqualTo(1);
      code(library, bundle);
      assertThat(search.imageCount()).isEqualTo(8);
      assertThat(search.search(sameImage).hits().getFirst().distance()).isZero();
    }
  }

  @Test
  void aSearchNeverWritesAndWorksOnAReadOnlyCopy() throws Exception {
    Path photos = photos(8);
    Path file = dir.resolve("library.sqlite");
    try (Library library = Library.open(file);
        ModelBundle bundle = openBundle()) {
      index(library, photos);
      code(library, bundle);
    }
    Path copyDir = Files.createDirectories(dir.resolve("archive"));
    Path copy = Files.copy(file, copyDir.resolve("library.sqlite"));
    String before = sha256(copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(copyDir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try (Library library = Library.openReadOnly(copy);
        ModelBundle bundle = openBundle()) {
      assertThat(library.readOnly()).isTrue();
      Search search = library.search(bundle);
      assertThat(search.imageCount()).isEqualTo(8);
      SearchResults found =
          search.search(
              Query.builder().text("a blue square").target(Query.Target.CAPTIONS).build());
      assertThat(found.hits()).isNotEmpty();
      // The captions' words are matched too (held in memory: nothing to write or keep open).
      assertThat(found.hits().getFirst().reasons()).contains(MatchReason.CAPTION_WORDS);
      assertThat(found.hits().getFirst().caption()).isEqualTo("a blue square");
      assertThatThrownBy(library::prune).hasMessageContaining("read-only");
    } finally {
      Files.setPosixFilePermissions(copyDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertThat(sha256(copy)).isEqualTo(before);
    // Nothing else was written either. SQLite's side files appear only where the folder is
    // writable after all (root may write anywhere), and its write-ahead log then stays empty.
    Path wal = Path.of(copy + "-wal");
    try (var left = Files.list(copyDir)) {
      assertThat(left.filter(f -> !f.equals(copy)))
          .allSatisfy(f -> assertThat(f.toString()).matches(".*-(shm|wal)"));
    }
    assertThat(Files.exists(wal) ? Files.size(wal) : 0).isZero();

    // A new image indexed but not coded: a read-only search says so and leaves the file as it was.
    photo(photos, 8);
    try (Library library = Library.open(file)) {
      index(library, photos);
    }
    String indexed = sha256(file);
    try (Library library = Library.openReadOnly(file);
        ModelBundle bundle = openBundle()) {
      Search search = library.search(bundle);
      assertThat(search.uncodedImages()).isEqualTo(1);
      assertThat(search.uncodedCaptions()).isEqualTo(1);
      assertThat(search.imageCount()).isEqualTo(8);
      search.search(Query.builder().text("a red circle").build());
    }
    assertThat(sha256(file)).isEqualTo(indexed);
  }

  @Test
  void captionsImportedWhileASearchIsOpenAreFoundByTheirWords() throws Exception {
    Path photos = photos(8);
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        ModelBundle bundle = openBundle()) {
      index(library, photos);
      code(library, bundle);
      Search search = library.search(bundle);
      Query zebra = Query.builder().text("zebras").target(Query.Target.CAPTIONS).top(4).build();
      assertThat(search.search(zebra).hits())
          .isNotEmpty()
          .noneSatisfy(h -> assertThat(h.reasons()).contains(MatchReason.CAPTION_WORDS));

      Files.writeString(photos.resolve("captions.csv"), "image,caption\nphoto-1.png,a zebra\n");
      library.importCaptions(photos.resolve("captions.csv"), false, IndexListener.NONE);
      assertThat(search.uncodedCaptions()).isEqualTo(1); // known, not found until coded
      assertThat(search.search(zebra).hits())
          .noneSatisfy(h -> assertThat(h.caption()).isEqualTo("a zebra"));
      code(library, bundle);

      SearchHit first = search.search(zebra).hits().getFirst();
      assertThat(first.caption()).isEqualTo("a zebra");
      assertThat(first.reasons()).contains(MatchReason.CAPTION_WORDS);
    }
  }

  @Test
  void searchesTheFourDirectionsOverTheLibrary() throws Exception {
    Path photos = photos(8);
    try (Library library = Library.open(dir.resolve("library.sqlite"));
        ModelBundle bundle = openBundle()) {
      index(library, photos);
      code(library, bundle);
      Search search = library.search(bundle);
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
      assertThat(captions.hits().stream().filter(h -> h.distance() == best).map(SearchHit::caption))
          .contains("a blue square");

      // image -> image: a library file encodes to its own code (same decoder as ingest).
      Path query = photos.resolve("photo-3.png");
      SearchResults images =
          search.search(Query.builder().image(query, 1).target(Query.Target.IMAGES).top(8).build());
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

  /**
   * A 16-bit SCAHN model trained one epoch on the 8 photos (labels: colour and shape) with the
   * pooled and token features of {@code base}'s encoders, as a bundle with {@code base}'s CNN.
   */
  private static void buildScahnBundle(ModelBundle base, Path photos, Path bundleDir)
      throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    float[][] labels = new float[8][COLOURS.length + 2];
    for (int i = 0; i < 8; i++) {
      images.add(ImageIO.read(photos.resolve("photo-" + i + ".png").toFile()));
      captions.add(Files.readString(photos.resolve("photo-" + i + ".txt")));
      labels[i][i % 4] = 1;
      labels[i][COLOURS.length + i % 2] = 1;
    }
    ImageEncoder cnn = base.imageEncoder();
    TextEncoder minilm = base.textEncoder();
    FeatureSet pairs =
        new FeatureSet(
            cnn.encode(images),
            minilm.encode(captions),
            labels,
            new TokenRows(cnn.tokens().orElseThrow(), cnn.encodeTokens(images)),
            new TokenRows(minilm.tokens().orElseThrow(), minilm.encodeTokens(captions)));
    TrainingOptions options =
        new TrainingOptions(16, 1, SEED, Device.CPU, null, Map.of("batch", "4"));
    try (HashModel scahn =
        HashingMethods.byName("scahn").train(pairs, null, options, TrainingListener.NONE)) {
      ModelBundle.write(
          bundleDir,
          new ModelBundle.Manifest("test-scahn-16", "scahn", 16, "tessera-cnn", "minilm", "test"),
          shared.resolve("cnn"),
          scahn);
    }
  }

  /** A 16-px CNN trained one epoch against MiniLM, and a 16-bit contrastive head, as a bundle. */
  private static void buildBundle(Path photos, Path bundleDir) throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      images.add(ImageIO.read(photos.resolve("photo-" + i + ".png").toFile()));
      captions.add(Files.readString(photos.resolve("photo-" + i + ".txt")));
    }
    float[][] texts;
    try (MiniLmTextEncoder minilm = MiniLmTextEncoder.open(shared.resolve("minilm"))) {
      texts = minilm.encode(captions);
    }
    TesseraCnnTrainer.Options options =
        new TesseraCnnTrainer.Options(
            16, 4, 4, 1, 1, 3e-3, 0.1, 0, 0, Duration.ofMinutes(2), SEED, Device.CPU);
    TesseraCnnTrainer.Result cnn =
        TesseraCnnTrainer.train(images, texts, captions, "minilm", options, (e, n, l, s) -> {});
    Path cnnDir = shared.resolve("cnn");
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
