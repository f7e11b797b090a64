package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.IndexListener;
import app.tessera.engine.TesseraException;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionImporterTest {
  @TempDir Path tmp;

  @Test
  void importsTheManifestFormatWithBomQuotesExtraColumnsAndIndexesFirst() throws Exception {
    Path data = tmp.resolve("data");
    TestImages.write(data.resolve("images/a.png"), TestImages.png(TestImages.noise(8, 8, 1)));
    TestImages.write(data.resolve("images/b.png"), TestImages.png(TestImages.noise(8, 8, 2)));
    String csv =
        "\uFEFFid,image,caption,labels,split\r\n"
            + "a1,images/a.png,\"grinning face. happy, \"\"smile\"\"\",smileys;tag:face,query\r\n"
            + "a2,images/a.png,\"a second\nline caption\",smileys,query\r\n"
            + "b1,images/b.png,cat face,animals;tag:face,train+database\r\n"
            + "x1,images/none.png,ghost,,database\r\n";
    Files.write(data.resolve("manifest.csv"), csv.getBytes(StandardCharsets.UTF_8));
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      CaptionImporter importer =
          new CaptionImporter(catalog, IngestOptions.defaults().withThreads(1));
      CaptionImportReport r =
          importer.importCsv(data.resolve("manifest.csv"), true, IndexListener.NONE);
      assertThat(r.indexed().added()).isEqualTo(2);
      assertThat(r.rows()).isEqualTo(4);
      assertThat(r.matched()).isEqualTo(3);
      assertThat(r.captionsAdded()).isEqualTo(3);
      assertThat(r.labelsAdded()).isEqualTo(4);
      assertThat(r.attributeConflicts()).isEqualTo(1); // a1 / a2 ids on one image
      assertThat(r.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.reason()).contains("line 6")); // x1 starts on line 6

      ItemStore items = new ItemStore(catalog);
      assertThat(items.captions())
          .extracting(ItemStore.CaptionItem::text)
          .containsExactlyInAnyOrder(
              "grinning face. happy, \"smile\"", "a second\nline caption", "cat face");
      assertThat(items.attribute("split").values())
          .containsExactlyInAnyOrder("query", "train+database");
      assertThat(items.attribute("id").values()).containsExactlyInAnyOrder("a1", "b1");

      CaptionImportReport again =
          importer.importCsv(data.resolve("manifest.csv"), true, IndexListener.NONE);
      assertThat(again.captionsAdded() + again.labelsAdded() + again.attributesSet()).isZero();
      assertThat(again.captionsPresent()).isEqualTo(3);
    }
  }

  @Test
  void aCsvWithoutImageColumnIsRejectedClearly() throws IOException {
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "file,caption\na.png,x\n");
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      assertThatThrownBy(
              () ->
                  new CaptionImporter(catalog, IngestOptions.defaults())
                      .importCsv(csv, false, IndexListener.NONE))
          .isInstanceOf(TesseraException.class)
          .hasMessageContaining("no 'image' column");
    }
  }

  private CaptionImportReport importCsv(Path csv) throws IOException {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      return new CaptionImporter(catalog, IngestOptions.defaults().withThreads(1))
          .importCsv(csv, true, IndexListener.NONE);
    }
  }

  private Path csv(String name, byte[] content) throws IOException {
    return Files.write(tmp.resolve("data").resolve(name), content);
  }

  private List<String> storedCaptions() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      return new ItemStore(catalog).captions().stream().map(ItemStore.CaptionItem::text).toList();
    }
  }

  @Test
  void aFileThatIsNotValidUtf8OrNotValidCsvIsRefusedWithItsLineAndNothingIsImported()
      throws Exception {
    Path data = tmp.resolve("data");
    TestImages.write(data.resolve("a.png"), TestImages.png(TestImages.noise(8, 8, 1)));
    byte[] latin1 =
        "image,caption\na.png,fine\na.png,caf\u00e9 au lait\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    // Before, the byte was silently replaced by U+FFFD and the rest imported.
    assertThatThrownBy(() -> importCsv(csv("latin1.csv", latin1)))
        .isInstanceOf(TesseraException.class)
        .hasMessageContaining("latin1.csv line 3: not valid UTF-8 (byte 0xE9)")
        .hasMessageContaining("iconv")
        .hasMessageContaining("nothing was imported");
    assertThat(storedCaptions()).isEmpty();

    // Before, a raw parser exception without the line.
    assertThatThrownBy(
            () ->
                importCsv(
                    csv(
                        "quotes.csv",
                        "image,caption\na.png,fine\na.png,\"never closed\nb.png,x\n"
                            .getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(TesseraException.class)
        .hasMessageContaining("quotes.csv line ")
        .hasMessageContaining("nothing was imported")
        .satisfies(
            e ->
                assertThat(((TesseraException) e).kind())
                    .isEqualTo(TesseraException.Kind.BAD_INPUT));
    assertThatThrownBy(
            () ->
                importCsv(
                    csv(
                        "columns.csv",
                        "image,caption\na.png,fine\na.png,one,two,three\n"
                            .getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(TesseraException.class)
        .hasMessageContaining("columns.csv line 3");
    assertThat(storedCaptions()).isEmpty();
  }

  @Test
  void rowsThatCannotBeImportedAsWrittenFailAloneWithTheirLine() throws Exception {
    Path data = tmp.resolve("data");
    TestImages.write(data.resolve("a.png"), TestImages.png(TestImages.noise(8, 8, 1)));
    TestImages.write(data.resolve("b.png"), TestImages.png(TestImages.noise(8, 8, 2)));
    TestImages.write(tmp.resolve("outside.png"), TestImages.png(TestImages.noise(8, 8, 3)));
    String huge = "word ".repeat(4_000); // 20,000 characters
    String text =
        "image,caption\r\n" // CRLF
            + "a.png,a caption kept exactly \u00e9\r\n"
            + "b.png,\""
            + huge
            + "\"\r\n"
            + "../outside.png,from elsewhere\r\n"
            + tmp.resolve("outside.png").toAbsolutePath()
            + ",absolute\r\n";
    CaptionImportReport r = importCsv(csv("rows.csv", withUtf16Bom(text))); // UTF-16, with its mark
    assertThat(r.rows()).isEqualTo(4);
    assertThat(r.captionsAdded()).isEqualTo(1);
    assertThat(r.failures())
        .extracting(f -> f.reason())
        .containsExactly(
            "line 3: caption of 19,999 characters, over the limit of 16,384: shorten it (the row"
                + " was not imported)",
            "line 4: outside the CSV's folder (image paths are relative to the CSV and stay inside"
                + " its folder)",
            "line 5: outside the CSV's folder (image paths are relative to the CSV and stay inside"
                + " its folder)");
    // Before, the long caption was cut to 16,384 characters without a word.
    assertThat(storedCaptions()).containsExactly("a caption kept exactly \u00e9");
  }

  private static byte[] withUtf16Bom(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] out = new byte[body.length + 2];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xFE;
    System.arraycopy(body, 0, out, 2, body.length);
    return out;
  }
}
