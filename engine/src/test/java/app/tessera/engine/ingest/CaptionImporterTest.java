package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.IndexListener;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
          .satisfies(f -> assertThat(f.reason()).contains("row 5"));

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
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no 'image' column");
    }
  }
}
