package app.tessera.ui;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.LibrarySession;
import app.tessera.desktop.MainWindow;
import app.tessera.desktop.Page;
import app.tessera.desktop.Workspace;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.Notifications;
import app.tessera.desktop.shell.SystemActions;
import app.tessera.desktop.shell.Theme;
import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Library page's bugs from issue #15, each over a real library in a real window (headless): the
 * failures list after a restart and a re-scan, the toolbar once the summary shows, removing a
 * folder, Tessera's data folder as a root, Cancel while new items are encoded, the encoding phase's
 * label and time.
 */
@ExtendWith(ApplicationExtension.class)
class LibraryPageTest {
  @TempDir Path dir;
  private final BackgroundTasks tasks = BackgroundTasks.forFx();
  private Path libraryFile;
  private Workspace workspace;
  private MainWindow window;

  @Start
  void start(Stage stage) throws Exception {
    libraryFile = dir.resolve("library.sqlite");
    workspace = new Workspace(new LibrarySession(libraryFile), tasks);
    Theme theme = new Theme(DesktopSettings.inMemory());
    theme.applySaved();
    window = new MainWindow(workspace, tasks, theme, SystemActions.platform());
    Scene scene = new Scene(window.view().root(), 1000, 700);
    scene.getStylesheets().add(Theme.STYLESHEET);
    stage.setScene(scene);
    stage.show();
  }

  @AfterEach
  void close() {
    tasks.close();
    workspace.close();
  }

  /** Runs a view-model call on the FX thread (as a button does) and waits for its job. */
  private static void await(FxRobot robot, java.util.function.Supplier<CompletableFuture<?>> call)
      throws Exception {
    CompletableFuture<CompletableFuture<?>> job = new CompletableFuture<>();
    robot.interact(() -> job.complete(call.get()));
    job.get().get(120, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
  }

  private static IndexReport indexOutsideTheWindow(Path file, Path folder) throws Exception {
    try (Library library = Library.open(file)) {
      return library.index(
          List.of(folder), new IndexSettings(1, false), IndexListener.NONE, new Cancellation());
    }
  }

  @Test
  void theFailuresListShowsWhatTheCatalogueRecordsAfterARestartAndARescan(FxRobot robot)
      throws Exception {
    Path photos = TestPhotos.draw(dir.resolve("photos"), 0, 3);
    Files.writeString(photos.resolve("broken.jpg"), "not really a JPEG");
    // An earlier session indexed the folder (workspace not opened yet: this is the restart).
    assertThat(indexOutsideTheWindow(libraryFile, photos).failed()).isEqualTo(1);

    await(robot, () -> window.library().refresh());
    robot.clickOn("Library");
    TableView<?> failures = robot.lookup("#failures").queryAs(TableView.class);
    assertThat(failures.getItems()).hasSize(1);
    assertThat(failures.getItems().getFirst().toString()).contains("broken.jpg");

    robot.clickOn("#rescan");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> statusOf(robot).startsWith("Indexed"));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(failures.getItems()).hasSize(1);
    assertThat(failures.getItems().getFirst().toString()).contains("broken.jpg");
  }

  @Test
  void theToolbarKeepsItsButtonsReadableOnceTheSummaryShows(FxRobot robot) throws Exception {
    Path photos = TestPhotos.draw(dir.resolve("photos"), 0, 3);
    Files.writeString(photos.resolve("broken.jpg"), "not really a JPEG");
    robot.clickOn("Library");
    await(robot, () -> window.library().index(List.of(photos)));
    assertThat(statusOf(robot)).startsWith("Indexed");

    for (String id : List.of("#add-folder", "#rescan")) {
      Button button = robot.lookup(id).queryButton();
      Text shown = (Text) button.lookup(".text");
      assertThat(shown.getText()).as("what %s shows", id).isEqualTo(button.getText());
    }
  }

  @Test
  void aFolderCanBeRemovedAfterConfirmingWhatIsForgotten(FxRobot robot) throws Exception {
    Path photos = TestPhotos.draw(dir.resolve("photos"), 0, 3);
    robot.clickOn("Library");
    await(robot, () -> window.library().index(List.of(photos)));
    TableView<?> roots = robot.lookup("#roots").queryAs(TableView.class);
    assertThat(roots.getItems()).hasSize(1);

    robot.clickOn(photos.toAbsolutePath().toString());
    robot.clickOn("#remove-folder");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup(".dialog-pane .content").queryLabeled().getText())
        .contains("3 files")
        .contains("not touched");
    robot.clickOn("Remove");
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> roots.getItems().isEmpty());

    try (Library library = Library.open(libraryFile)) {
      assertThat(library.folders()).isEmpty();
    }
    assertThat(photos.resolve("photo-0.png")).exists(); // never the user's files
  }

  @Test
  void tesseraOwnDataFolderIsRefusedWithAReason(FxRobot robot) throws Exception {
    Path data = Files.createDirectories(AppDirs.dataDir());
    robot.clickOn("Library");
    await(robot, () -> window.library().index(List.of(data)));

    assertThat(robot.lookup("#roots").queryAs(TableView.class).getItems()).isEmpty();
    List<Notifications.Notice> shown = window.notifications().shown();
    assertThat(shown)
        .anySatisfy(n -> assertThat(n.message()).contains("Tessera's own data folder"));
  }

  @Test
  void cancelStopsTheEncodingOfNewItemsAndTheNextRunFinishesIt(FxRobot robot) throws Exception {
    indexOutsideTheWindow(libraryFile, TestPhotos.draw(dir.resolve("first"), 0, 4));
    await(robot, () -> window.open()); // loads the model, codes the four
    long before = workspace.search().imageCount();
    assertThat(before).isEqualTo(4);
    Path many = TestPhotos.draw(dir.resolve("many"), 4, 300);
    robot.clickOn("Library");

    CompletableFuture<CompletableFuture<?>> job = new CompletableFuture<>();
    robot.interact(() -> job.complete(window.library().index(List.of(many))));
    // New items are being encoded once the first batch of codes is searchable.
    WaitForAsyncUtils.waitFor(
        120, TimeUnit.SECONDS, () -> workspace.search().imageCount() > before);
    robot.clickOn("#cancel-indexing");
    job.get().get(120, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();

    assertThat(statusOf(robot)).startsWith("Cancelled");
    Workspace.Summary stopped = workspace.summary();
    assertThat(stopped.uncoded() + uncodedCaptions()).as("items left to code").isPositive();

    robot.clickOn("#rescan"); // consistent and resumable: the next run codes the rest
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> statusOf(robot).startsWith("Indexed"));
    assertThat(workspace.summary().uncoded()).isZero();
    assertThat(workspace.search().imageCount()).isEqualTo(304);
  }

  private int uncodedCaptions() throws Exception {
    try (Library library = Library.openReadOnly(libraryFile)) {
      return library.search(openBundle(library)).uncodedCaptions();
    }
  }

  private static app.tessera.engine.api.ModelBundle openBundle(Library library) throws Exception {
    return app.tessera.engine.api.ModelBundle.open(
        library.defaultBundleDir(), app.tessera.engine.Device.CPU);
  }

  @Test
  void theEncodingPhaseIsNamedAndCountedInTheSummarysTime(FxRobot robot) throws Exception {
    indexOutsideTheWindow(libraryFile, TestPhotos.draw(dir.resolve("first"), 0, 4));
    await(robot, () -> window.open());
    Path more = TestPhotos.draw(dir.resolve("more"), 4, 200);
    robot.clickOn("Library");
    Label status = robot.lookup("#library-status").queryAs(Label.class);
    List<String> seen = new CopyOnWriteArrayList<>();
    robot.interact(() -> status.textProperty().addListener((obs, old, now) -> seen.add(now)));

    long started = System.nanoTime();
    await(robot, () -> window.library().index(List.of(more)));
    double wall = (System.nanoTime() - started) / 1e9;

    assertThat(seen).anySatisfy(line -> assertThat(line).startsWith("Encoding"));
    int encoding = indexOfFirst(seen, "Encoding");
    assertThat(seen.subList(encoding, seen.size()))
        .noneSatisfy(line -> assertThat(line).startsWith("Scanning"));
    Matcher seconds = Pattern.compile("in (\\d+\\.\\d) s").matcher(statusOf(robot));
    assertThat(seconds.find()).as("a time in %s", statusOf(robot)).isTrue();
    // The summary's time is the whole run's, encoding included (the window adds only UI hops).
    assertThat(Double.parseDouble(seconds.group(1))).isGreaterThan(wall * 0.8 - 0.1);
    assertThat(window.view().shownPage()).isEqualTo(Page.LIBRARY);
  }

  private static int indexOfFirst(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static String statusOf(FxRobot robot) {
    return robot.lookup("#library-status").queryAs(Label.class).getText();
  }
}
