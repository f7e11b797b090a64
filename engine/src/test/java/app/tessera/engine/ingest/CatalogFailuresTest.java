package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.Damage;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure of the catalogue itself (disk full, damage) ends an indexing run with one typed error
 * and keeps what was committed; before, every following file failed the same way and the run
 * reported success.
 */
class CatalogFailuresTest {
  @TempDir Path tmp;

  private Path photos(int n) throws Exception {
    Path root = tmp.resolve("photos");
    for (int i = 0; i < n; i++) {
      TestImages.write(
          root.resolve("img" + i + ".png"), TestImages.png(TestImages.noise(64, 64, i)));
    }
    return root;
  }

  private static long pageCount(Catalog catalog) {
    return catalog.writeSql(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("PRAGMA page_count")) {
            return rs.getLong(1);
          }
        });
  }

  private static IndexReport index(Catalog catalog, Path root) throws Exception {
    return new Indexer(catalog, IngestOptions.defaults().withThreads(1).withBatch(8))
        .index(List.of(root), IndexListener.NONE);
  }

  @Test
  void aFullDiskEndsTheRunKeepsWhatWasCommittedAndTheNextRunFinishes() throws Exception {
    Path root = photos(60);
    // How many pages the whole run writes (the layout of a row may change): the disk below has
    // room for about half of them.
    long needed;
    try (Catalog probe = Catalog.open(tmp.resolve("probe.sqlite"))) {
      long before = pageCount(probe);
      index(probe, root);
      needed = pageCount(probe) - before;
    }
    Path file = tmp.resolve("lib.sqlite");
    try (Catalog catalog = Catalog.open(file)) {
      // The disk fills up after a few batches: SQLite's page limit gives the same SQLITE_FULL.
      catalog.writeSql(
          c -> {
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA page_count")) {
              st.execute("PRAGMA max_page_count = " + (rs.getLong(1) + needed * 3 / 4));
            }
            return null;
          });
      TesseraException full =
          catchThrowableOfType(TesseraException.class, () -> index(catalog, root));
      assertThat(full).isNotNull();
      assertThat(full.kind()).isEqualTo(Kind.IO);
      assertThat(full.getMessage()).contains("the disk holding library", "is full");
      long kept = Libraries.count(catalog, "SELECT count(*) FROM files");
      assertThat(kept).isBetween(1L, 59L);
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM files WHERE failure IS NOT NULL"))
          .isZero();
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
    try (Catalog catalog = Catalog.open(file)) { // space again
      IndexReport rest = index(catalog, root);
      assertThat(rest.failures()).isEmpty();
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM files")).isEqualTo(60);
      assertThat(catalog.integrityCheck()).isEqualTo("ok");
    }
  }

  @Test
  void damageInATableOfImagesEndsTheRunAsDamaged() throws Exception {
    Path root = photos(10);
    Path file = tmp.resolve("lib.sqlite");
    try (Catalog catalog = Catalog.open(file)) {
      index(catalog, root);
    }
    Damage.page(file, "thumbnails");
    for (int i = 10; i < 20; i++) {
      TestImages.write(
          root.resolve("img" + i + ".png"), TestImages.png(TestImages.noise(64, 64, i)));
    }
    try (Catalog catalog = Catalog.open(file)) { // its small tables are fine
      TesseraException damaged =
          catchThrowableOfType(TesseraException.class, () -> index(catalog, root));
      assertThat(damaged).isNotNull();
      assertThat(damaged.kind()).isEqualTo(Kind.DAMAGED);
      assertThat(damaged.getMessage()).contains("is damaged", "tessera check --library");
      assertThat(Libraries.count(catalog, "SELECT count(*) FROM files")).isEqualTo(10);
    }
  }
}
