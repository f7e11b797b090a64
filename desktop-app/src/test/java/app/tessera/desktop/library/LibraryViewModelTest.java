package app.tessera.desktop.library;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.RootState;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.Library;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Library page's state over a real library, with every task run at once on this thread. */
class LibraryViewModelTest {
  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();
  private final Notifications notifications = new Notifications(log::add, Runnable::run);

  private Path photos(String name, int n) throws IOException {
    Path photos = Files.createDirectories(dir.resolve(name));
    for (int i = 0; i < n; i++) {
      ImageIO.write(
          new BufferedImage(20 + i, 10, BufferedImage.TYPE_INT_RGB),
          "png",
          photos.resolve(i + ".png").toFile());
    }
    return photos;
  }

  private LibraryViewModel model(Library library, LibraryViewModel.Coding coding) {
    return new LibraryViewModel(
        () -> library, BackgroundTasks.sameThread(), coding, notifications, log::add, () -> 1);
  }

  private static final LibraryViewModel.Coding NO_MODEL = (control, progress) -> null;

  @Test
  void indexingListsTheFolderItsFailuresAndTheSummaryAndNotifiesEachFailure() throws Exception {
    Path photos = photos("photos", 2);
    Files.writeString(photos.resolve("broken.jpg"), "not a jpeg");
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      LibraryViewModel model = model(library, NO_MODEL);

      model.index(List.of(photos));

      assertThat(model.runningProperty().get()).isFalse();
      assertThat(model.stepProperty().get()).isEqualTo(LibraryViewModel.Step.IDLE);
      assertThat(model.folders())
          .singleElement()
          .satisfies(
              folder -> {
                assertThat(folder.path()).isEqualTo(photos.toAbsolutePath());
                assertThat(folder.state()).isEqualTo(RootState.ONLINE);
                assertThat(folder.files()).isEqualTo(3);
                assertThat(folder.failed()).isEqualTo(1);
                assertThat(folder.lastScan()).isNotNull();
              });
      assertThat(model.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.path()).endsWith("broken.jpg"));
      assertThat(model.statusProperty().get()).startsWith("Indexed in").contains("2 added, ");
      assertThat(log).anySatisfy(line -> assertThat(line).startsWith("Could not index broken.jpg"));
      assertThat(log.getLast()).startsWith("Indexed in");
      assertThat(model.lastRunProperty().get().indexed().added()).isEqualTo(2);
    }
  }

  @Test
  void theJobCodesWhatItAddedUnderItsOwnControlAndCountsItInItsTime() throws Exception {
    Path photos = photos("photos", 2);
    List<Cancellation> controls = new ArrayList<>();
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      LibraryViewModel model =
          model(
              library,
              (control, progress) -> {
                controls.add(control);
                progress.progress(1, 4);
                Thread.sleep(300); // coding takes its time ...
                control.cancel(); // ... and is cancelled half-way (as the Cancel button does)
                return new CodingReport("m", 1, 1, 2, 0, 2, 0.3);
              });

      model.index(List.of(photos));

      assertThat(controls).hasSize(1);
      LibraryViewModel.Run run = model.lastRunProperty().get();
      assertThat(run.cancelled()).isTrue();
      assertThat(run.seconds()).isGreaterThanOrEqualTo(0.3); // the encoding is in the time
      assertThat(model.statusProperty().get())
          .startsWith("Cancelled in")
          .contains("2 items coded")
          .contains("2 items not coded yet");
    }
  }

  @Test
  void failuresComeFromTheCatalogueAfterARestart() throws Exception {
    Path photos = photos("photos", 1);
    Files.writeString(photos.resolve("broken.jpg"), "not a jpeg");
    Path file = dir.resolve("library.sqlite");
    try (Library library = Library.open(file)) {
      model(library, NO_MODEL).index(List.of(photos));
    }
    try (Library library = Library.open(file)) {
      LibraryViewModel restarted = model(library, NO_MODEL);
      restarted.refresh();
      assertThat(restarted.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.reason()).isNotBlank());
      restarted.index(List.of()); // re-scan all: nothing new fails, the old failure stays
      assertThat(restarted.failures()).hasSize(1);
    }
  }

  @Test
  void removingAFolderAndPruningForgetWhatTheySayAndRecodeAfter() throws Exception {
    Path a = photos("a", 2);
    Path b = photos("b", 3);
    List<String> coded = new ArrayList<>();
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      LibraryViewModel model =
          model(
              library,
              (control, progress) -> {
                coded.add("coded");
                return null;
              });
      model.index(List.of(a, b));
      Files.delete(b.resolve("0.png"));
      model.index(List.of());
      assertThat(model.missingFiles()).isEqualTo(1);

      model.prune();
      assertThat(model.missingFiles()).isZero();
      assertThat(log).anySatisfy(l -> assertThat(l).startsWith("Missing files pruned: 1 files"));

      model.remove(model.folders().getFirst());
      assertThat(model.folders()).extracting(f -> f.path()).containsExactly(b.toAbsolutePath());
      assertThat(log).anySatisfy(l -> assertThat(l).contains("nothing on disk was touched"));
      assertThat(coded).hasSize(4); // after each job: codes of what went are dropped
      assertThat(a.resolve("0.png")).exists();
    }
  }

  @Test
  void tesseraOwnDataFolderIsListedWithWhyAndNeverBecomesAFolder() throws Exception {
    Path data = Files.createDirectories(AppDirs.dataDir());
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      LibraryViewModel model = model(library, NO_MODEL);
      model.index(List.of(data));
      assertThat(model.folders()).isEmpty();
      assertThat(model.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.reason()).contains("Tessera's own data folder"));
      assertThat(log).anySatisfy(l -> assertThat(l).contains("Tessera's own data folder"));
    }
  }

  @Test
  void aRateAndTheTimeLeftLeaveOutPausedTime() {
    long s = 1_000_000_000L;
    JobRate rate = new JobRate(0);
    assertThat(rate.describe(10, 100, "files", s / 10)).isEmpty(); // too early to tell
    assertThat(rate.describe(20, 100, "files", 2 * s)).isEqualTo("10 files/s · about 8 s left");
    rate.paused(2 * s);
    rate.resumed(12 * s); // ten paused seconds do not count
    assertThat(rate.describe(40, 100, "files", 14 * s)).isEqualTo("10 files/s · about 6 s left");
    assertThat(rate.describe(100, 100, "files", 20 * s)).isEqualTo("10 files/s");
    assertThat(JobRate.duration(95)).isEqualTo("2 min");
    assertThat(JobRate.duration(4_800)).isEqualTo("1 h 20 min");
  }
}
