package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.PruneReport;
import app.tessera.engine.RootState;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a curator manages in a library: its folders with their counts and last scan, the files that
 * failed (as the catalogue keeps them), removing a folder, the data folder refused, pausing.
 */
class LibraryFoldersTest {
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

  private static Path photos(Path folder, int n) throws IOException {
    Files.createDirectories(folder);
    for (int i = 0; i < n; i++) {
      BufferedImage image = new BufferedImage(20 + i, 12, BufferedImage.TYPE_INT_RGB);
      image.setRGB(i, 1, 0x3366ff);
      ImageIO.write(image, "png", folder.resolve("photo-" + i + ".png").toFile());
    }
    return folder;
  }

  private static IndexReport index(Library library, List<Path> folders) throws IOException {
    return library.index(
        folders, new IndexSettings(1, false), IndexListener.NONE, new Cancellation());
  }

  @Test
  void foldersCountTheirFilesFailuresAndMissingOnesAndSayWhenTheyWereScanned() throws Exception {
    Path a = photos(dir.resolve("a"), 3);
    Files.writeString(a.resolve("broken.jpg"), "not a jpeg");
    Path b = photos(dir.resolve("b"), 2);
    Instant before = Instant.now().minusSeconds(1);
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      index(library, List.of(a, b));
      Files.delete(a.resolve("photo-0.png"));
      index(library, List.of());

      assertThat(library.folders())
          .satisfiesExactly(
              folder -> {
                assertThat(folder.path()).isEqualTo(a.toAbsolutePath());
                assertThat(folder.state()).isEqualTo(RootState.ONLINE);
                assertThat(folder.files()).isEqualTo(3); // two photos and the broken one
                assertThat(folder.failed()).isEqualTo(1);
                assertThat(folder.missing()).isEqualTo(1);
                assertThat(folder.lastScan()).isAfter(before);
              },
              folder -> {
                assertThat(folder.files()).isEqualTo(2);
                assertThat(folder.failed()).isZero();
                assertThat(folder.missing()).isZero();
              });
    }
  }

  @Test
  void failuresAreListedFromTheCatalogueAfterARestartAndARescan() throws Exception {
    Path a = photos(dir.resolve("a"), 2);
    Files.writeString(a.resolve("broken.jpg"), "not a jpeg");
    Files.write(a.resolve("empty.png"), new byte[0]);
    Path file = dir.resolve("library.sqlite");
    try (Library library = Library.open(file)) {
      assertThat(index(library, List.of(a)).failures()).hasSize(2);
    }
    try (Library library = Library.open(file)) { // a restart
      assertThat(library.failures())
          .extracting(IndexReport.Failure::path)
          .containsExactly(a.resolve("broken.jpg").toString(), a.resolve("empty.png").toString());
      IndexReport rescan = index(library, List.of());
      assertThat(rescan.failures()).isEmpty(); // nothing new failed ...
      assertThat(library.failures()).hasSize(2); // ... and the old failures are still there
      assertThat(library.failures().getFirst().reason()).isNotBlank();

      // Fixed: readable now, so no longer a failure. Deleted: missing, so no longer listed.
      Files.copy(a.resolve("photo-0.png"), a.resolve("fixed.png"));
      Files.delete(a.resolve("broken.jpg"));
      Files.move(a.resolve("fixed.png"), a.resolve("empty.png"), REPLACE);
      index(library, List.of());
      assertThat(library.failures()).isEmpty();
    }
  }

  private static final java.nio.file.CopyOption REPLACE =
      java.nio.file.StandardCopyOption.REPLACE_EXISTING;

  @Test
  void removingAFolderForgetsItsItemsButNotTheirFilesNorAnotherFoldersCopies() throws Exception {
    Path a = photos(dir.resolve("a"), 3);
    Path b = photos(dir.resolve("b"), 1); // photo-0 is also in a: one item, two files
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      index(library, List.of(a, b));

      PruneReport removed = library.removeFolder(a);

      assertThat(removed.files()).isEqualTo(3);
      assertThat(removed.items()).isEqualTo(2); // photo-0 lives on in b
      assertThat(library.folders()).extracting(Folder::path).containsExactly(b.toAbsolutePath());
      try (var left = Files.list(a)) {
        assertThat(left).hasSize(3); // the user's files are untouched
      }
      assertThatThrownBy(() -> library.removeFolder(dir.resolve("elsewhere")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a folder of this library");
      IndexReport again = index(library, List.of(a)); // and it can come back
      assertThat(again.added() + again.moved()).isEqualTo(3);
    }
  }

  @Test
  void tesseraOwnDataFolderIsRefusedAsAFolderAndSkippedInsideOne() throws Exception {
    Path home = AppDirs.dataDir();
    photos(home.resolve("cache"), 2);
    Path parent = dir; // holds the data folder ("home") and some photos
    photos(dir.resolve("trip"), 2);
    try (Library library = Library.open(home.resolve("library.sqlite"))) {
      IndexReport refused = index(library, List.of(home));
      assertThat(refused.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.reason()).contains("Tessera's own data folder"));
      IndexReport inside = index(library, List.of(home.resolve("cache")));
      assertThat(inside.failed()).isEqualTo(1);
      assertThat(library.folders()).isEmpty();

      // The demo collection Tessera unpacks into its data folder is the one exception.
      Path demo = photos(AppDirs.demoDir("test"), 3);
      assertThat(index(library, List.of(demo)).failures()).isEmpty();
      assertThat(library.folders()).extracting(Folder::path).contains(demo);

      IndexReport above = index(library, List.of(parent));
      assertThat(above.added()).isEqualTo(2); // trip's photos, not the data folder's
    }
  }

  @Test
  void aPausedIndexingRunReadsNothingUntilResumed() throws Exception {
    Path a = photos(dir.resolve("a"), 4);
    Cancellation control = new Cancellation();
    control.pause();
    CountDownLatch processing = new CountDownLatch(1);
    AtomicInteger decoded = new AtomicInteger();
    AtomicReference<IndexReport> report = new AtomicReference<>();
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      IndexListener listener =
          new IndexListener() {
            @Override
            public void phase(Phase phase, int total) {
              if (phase == Phase.PROCESSING) {
                processing.countDown();
              }
            }

            @Override
            public void decoded(Path file) {
              decoded.incrementAndGet();
            }
          };
      Thread job =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      report.set(
                          library.index(
                              List.of(a), new IndexSettings(1, false), listener, control));
                    } catch (IOException e) {
                      throw new RuntimeException(e);
                    }
                  });
      assertThat(processing.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(control.isPaused()).isTrue();
      job.join(300); // paused: it waits
      assertThat(job.isAlive()).isTrue();
      assertThat(decoded.get()).isZero();

      control.resume();
      job.join(30_000);
      assertThat(job.isAlive()).isFalse();
      assertThat(report.get().added()).isEqualTo(4);
      assertThat(report.get().cancelled()).isFalse();
    }
  }

  @Test
  void cancellingAPausedRunEndsIt() throws Exception {
    Cancellation control = new Cancellation();
    control.pause();
    Thread waiter = Thread.ofPlatform().start(control::awaitResumed);
    waiter.join(100);
    assertThat(waiter.isAlive()).isTrue();
    control.cancel();
    waiter.join(5_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(control.isPaused()).isFalse();
  }
}
