package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.IndexReport;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.StoredImage;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus: every file is either indexed or listed with a reason, nothing crashes, and
 * the library's files are byte-identical afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {
  Path tmp;
  Path root;
  Catalog catalog;
  IndexReport report;
  Libraries.Recorder recorder = new Libraries.Recorder();
  Map<String, String> before;

  @BeforeAll
  void indexHostileCorpus(@TempDir Path tmp) throws Exception {
    this.tmp = tmp;
    root = tmp.resolve("library");
    byte[] photo = TestImages.jpeg(TestImages.noise(200, 150, 1));
    TestImages.write(root.resolve("ok/photo.jpg"), photo);
    TestImages.write(
        root.resolve("broken/truncated.jpg"), Arrays.copyOf(photo, photo.length * 6 / 10));
    TestImages.write(root.resolve("broken/zero.jpg"), new byte[0]);
    TestImages.write(
        root.resolve("broken/text.jpg"), "not an image at all\n".getBytes(StandardCharsets.UTF_8));
    TestImages.write(
        root.resolve("broken/photo.heic"), "ftypheic....".getBytes(StandardCharsets.US_ASCII));
    TestImages.write(
        root.resolve("odd/one.png"), TestImages.png(TestImages.solid(1, 1, Color.RED)));
    TestImages.hugePng(root.resolve("odd/huge.png"), 20_000);
    TestImages.write(root.resolve("odd/cmyk.jpg"), TestImages.cmykJpeg(64, 48, 0, 0, 0, 0));
    TestImages.write(root.resolve("odd/deep.png"), TestImages.png16(40, 30, 65535, 0, 0));
    TestImages.write(root.resolve("odd/palette.png"), TestImages.palettePng(40, 30));
    TestImages.write(root.resolve("odd/clear.png"), TestImages.transparentPng(30, 30));
    TestImages.write(
        root.resolve("odd/anim.gif"), TestImages.animatedGif(30, 30, Color.RED, Color.BLUE));
    TestImages.write(
        root.resolve("odd/pic.bmp"), bytesOf(TestImages.solid(20, 20, Color.BLUE), "bmp"));
    TestImages.write(
        root.resolve("odd/pic.tif"), bytesOf(TestImages.solid(20, 20, Color.GREEN), "tiff"));
    // WebP (1x1 lossy and lossless, as browsers' feature tests use) and a progressive JPEG.
    java.util.Base64.Decoder base64 = java.util.Base64.getDecoder();
    TestImages.write(
        root.resolve("odd/lossy.webp"),
        base64.decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA"));
    TestImages.write(
        root.resolve("odd/lossless.webp"),
        base64.decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="));
    TestImages.write(
        root.resolve("odd/progressive.jpg"),
        TestImages.progressiveJpeg(TestImages.solid(300, 200, Color.MAGENTA)));
    // A camera RAW whose only decodable part is its embedded JPEG preview.
    byte[] preview = TestImages.jpeg(TestImages.solid(120, 80, Color.ORANGE));
    byte[] raw = new byte[4096 + preview.length + 1024];
    raw[0] = 'I';
    raw[1] = 'I';
    System.arraycopy(preview, 0, raw, 4096, preview.length);
    TestImages.write(root.resolve("odd/camera.nef"), raw);

    // Sidecars: invalid UTF-8, UTF-16 with BOM, a 1 MB caption.
    Path captions = root.resolve("captions");
    TestImages.write(captions.resolve("latin.jpg"), TestImages.jpeg(TestImages.noise(32, 32, 2)));
    TestImages.write(
        captions.resolve("latin.txt"),
        "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
    TestImages.write(captions.resolve("wide.png"), TestImages.png(TestImages.noise(32, 32, 3)));
    byte[] utf16 = "\uFEFFa red fox \u5199\u771f".getBytes(StandardCharsets.UTF_16LE);
    TestImages.write(captions.resolve("wide.caption"), utf16);
    TestImages.write(captions.resolve("long.png"), TestImages.png(TestImages.noise(32, 32, 4)));
    TestImages.write(
        captions.resolve("long.txt"), "word ".repeat(210_000).getBytes(StandardCharsets.UTF_8));

    // Awkward names.
    TestImages.write(
        root.resolve("names/with space/\u0444\u043e\u0442\u043e \u00e9\u5199.png"),
        TestImages.png(TestImages.noise(16, 16, 5)));
    TestImages.write(
        root.resolve("names/new\nline.png"), TestImages.png(TestImages.noise(16, 16, 6)));
    // A symbolic link loop.
    Files.createSymbolicLink(root.resolve("names/loop"), root.resolve("names"));

    before = TestImages.hashTree(root);
    catalog = Catalog.open(tmp.resolve("lib.sqlite"));
    report = Libraries.index(catalog, recorder, root);
  }

  @AfterAll
  void close() {
    catalog.close();
  }

  private static byte[] bytesOf(BufferedImage image, String format) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    assertThat(javax.imageio.ImageIO.write(image, format, out)).as(format + " writer").isTrue();
    return out.toByteArray();
  }

  private String reasonOf(String relPath) {
    List<String> rows =
        Libraries.query(catalog, "SELECT failure FROM files WHERE rel_path = ?", relPath);
    assertThat(rows).as(relPath).hasSize(1);
    return rows.getFirst();
  }

  private StoredImage thumbnailOf(String relPath) {
    long item = Libraries.count(catalog, "SELECT item_id FROM files WHERE rel_path = ?", relPath);
    return new ItemStore(catalog).thumbnail(item).orElseThrow();
  }

  @Test
  void everyFileIsIndexedOrListedWithAReason() {
    List<String> all = Libraries.query(catalog, "SELECT rel_path FROM files ORDER BY rel_path");
    assertThat(all)
        .contains("ok/photo.jpg", "broken/zero.jpg", "names/new\nline.png", "odd/huge.png")
        .hasSize(23);
    assertThat(Libraries.query(catalog, "SELECT rel_path FROM files WHERE failure IS NOT NULL"))
        .containsExactlyInAnyOrder(
            "broken/truncated.jpg", "broken/zero.jpg", "broken/text.jpg", "broken/photo.heic");
    assertThat(report.added()).isEqualTo(19);
    assertThat(report.failures())
        .extracting(IndexReport.Failure::reason)
        .anyMatch(r -> r.contains("symbolic link loop"));
    assertThat(report.failed()).isEqualTo(5).isEqualTo(report.failures().size());
  }

  @Test
  void reasonsSayWhatIsWrong() {
    assertThat(reasonOf("broken/zero.jpg")).isEqualTo("empty file (0 bytes)");
    assertThat(reasonOf("broken/text.jpg")).contains("not a supported image");
    assertThat(reasonOf("broken/truncated.jpg"))
        .startsWith("damaged image data")
        .containsIgnoringCase("truncated");
    assertThat(reasonOf("broken/photo.heic")).contains("HEIC").contains("preview");
  }

  @Test
  void libraryFilesAreUntouched() throws IOException {
    assertThat(TestImages.hashTree(root)).isEqualTo(before);
  }

  @Test
  void unusualImagesDecodeCorrectly() {
    // 16-bit red, palette with transparency, alpha on white, GIF first frame, CMYK.
    assertThat(thumbnailOf("odd/deep.png").toImage().getRGB(5, 5) & 0xFFFFFF).isEqualTo(0xFF0000);
    BufferedImage palette = thumbnailOf("odd/palette.png").toImage();
    assertThat(palette.getRGB(2, 15) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(palette.getRGB(35, 15) & 0xFFFFFF).isEqualTo(0x00C800);
    assertThat(thumbnailOf("odd/clear.png").toImage().getRGB(10, 10) & 0xFFFFFF)
        .isEqualTo(0xFFFFFF);
    assertThat(thumbnailOf("odd/anim.gif").toImage().getRGB(10, 10) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(thumbnailOf("odd/one.png").width()).isEqualTo(1);
    StoredImage cmyk = thumbnailOf("odd/cmyk.jpg");
    assertThat(cmyk.width()).isEqualTo(64);
    assertThat(
            Libraries.query(
                catalog,
                "SELECT format FROM images i JOIN files f ON f.item_id ="
                    + " i.item_id WHERE rel_path = 'odd/camera.nef'"))
        .containsExactly("nef-preview");
    assertThat(thumbnailOf("odd/lossy.webp").width()).isEqualTo(1);
    assertThat(thumbnailOf("odd/lossless.webp").width()).isEqualTo(1);
    BufferedImage progressive = thumbnailOf("odd/progressive.jpg").toImage();
    assertThat(progressive.getWidth()).isEqualTo(256);
    int magenta = progressive.getRGB(100, 80);
    assertThat(new int[] {(magenta >> 16) & 0xFF, (magenta >> 8) & 0xFF, magenta & 0xFF})
        .satisfies(c -> assertThat(c[0]).isGreaterThan(240))
        .satisfies(c -> assertThat(c[1]).isLessThan(15))
        .satisfies(c -> assertThat(c[2]).isGreaterThan(240));
    StoredImage nef = thumbnailOf("odd/camera.nef");
    assertThat(nef.width()).isEqualTo(120);
  }

  @Test
  void hugeImageIsDecodedSubsampledWithinTheBudget() {
    assertThat(
            Libraries.query(
                catalog,
                "SELECT width || 'x' || height FROM images i JOIN files f ON f.item_id = i.item_id"
                    + " WHERE rel_path = 'odd/huge.png'"))
        .containsExactly("20000x20000");
    StoredImage thumb = thumbnailOf("odd/huge.png");
    assertThat(thumb.width()).isEqualTo(256);
    assertThat(thumb.toImage().getRGB(100, 100) & 0xFF).isBetween(120, 136);
    ImageDecoder decoder = new ImageDecoder(ImageDecoder.Sizes.DEFAULT);
    assertThat(decoder.subsampling(20_000, 20_000)).isGreaterThanOrEqualTo(39);
  }

  @Test
  void sidecarCaptionsAreDecodedAndCapped() {
    List<String> captions =
        Libraries.query(
            catalog,
            "SELECT f.rel_path, c.text, coalesce(c.note, '') FROM captions c JOIN files f"
                + " ON f.id = c.file_id ORDER BY f.rel_path");
    assertThat(captions).hasSize(3);
    assertThat(captions.get(0))
        .startsWith("captions/latin.jpg | caf\uFFFD cr\uFFFDme")
        .contains("invalid UTF-8");
    assertThat(captions.get(1))
        .startsWith("captions/long.png | sha256:")
        .endsWith("truncated to 16384 of more than 65539 characters");
    assertThat(
            Libraries.query(
                catalog,
                "SELECT substr(text, 1, 10) FROM captions WHERE note LIKE" + " 'truncated%'"))
        .containsExactly("word word ");
    assertThat(captions.get(2)).isEqualTo("captions/wide.png | a red fox \u5199\u771f | ");
    long longest = Libraries.count(catalog, "SELECT max(length(text)) FROM captions");
    assertThat(longest).isLessThanOrEqualTo(TextDecoding.MAX_CHARS);
  }

  @Test
  void captionsAreItemsLinkedToTheirImage() {
    ItemStore items = new ItemStore(catalog);
    List<ItemStore.CaptionItem> captions = items.captions();
    assertThat(captions).hasSize(3);
    assertThat(items.images())
        .extracting(ItemStore.ImageItem::id)
        .contains(captions.getFirst().imageId());
    assertThat(Libraries.count(catalog, "SELECT count(*) FROM items WHERE kind = 'caption'"))
        .isEqualTo(3);
  }
}
