package app.tessera.ui;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.LibrarySession;
import app.tessera.desktop.MainWindow;
import app.tessera.desktop.Workspace;
import app.tessera.desktop.search.QueryImage;
import app.tessera.desktop.search.SearchBackend;
import app.tessera.desktop.search.SearchQuery;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.SystemActions;
import app.tessera.desktop.shell.Theme;
import app.tessera.engine.Device;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.ModelInfo;
import app.tessera.engine.api.ShippedModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole window over a real library (the shipped demo collection and default model, in a folder
 * of its own): the status bar follows indexing and model switches, a dropped image finds captions,
 * an unreadable image is said once.
 */
@ExtendWith(ApplicationExtension.class)
class WindowOverALibraryTest {
  @TempDir Path dir;
  private final BackgroundTasks tasks = BackgroundTasks.forFx();
  private Workspace workspace;
  private MainWindow window;

  @Start
  void start(Stage stage) {
    workspace = new Workspace(new LibrarySession(dir.resolve("library.sqlite")), tasks);
    SystemActions none =
        new SystemActions() {
          @Override
          public void open(Path file) {}

          @Override
          public void reveal(Path file) {}
        };
    window = new MainWindow(workspace, tasks, new Theme(DesktopSettings.inMemory()), none);
    stage.setScene(new Scene(window.view().root(), 1100, 720));
    stage.show();
  }

  @AfterEach
  void close() {
    tasks.close();
    workspace.close();
  }

  private static void photo(Path file, Color colour) throws Exception {
    BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 48, 48);
    g.setColor(colour);
    g.fillOval(8, 8, 32, 32);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static String text(FxRobot robot, String id) {
    return robot.lookup(id).queryAs(Label.class).getText();
  }

  private void await(CompletableFuture<?> future) throws Exception {
    future.get(120, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
  }

  private <T> CompletableFuture<T> onFx(
      FxRobot robot, java.util.function.Supplier<CompletableFuture<T>> action) throws Exception {
    CompletableFuture<CompletableFuture<T>> started = new CompletableFuture<>();
    robot.interact(() -> started.complete(action.get()));
    return started.get();
  }

  /**
   * Bugs: the status bar kept the old item count after a folder was added, and named the old model
   * after a model switch. A switch codes the library with the new model in the background first
   * (pause, cancel): until that is done, searches and the status bar keep the old model.
   */
  @Test
  void theStatusBarFollowsANewFolderAndAModelSwitch(FxRobot robot) throws Exception {
    await(onFx(robot, window::open));
    long demo = workspace.search().imageCount();
    assertThat(text(robot, "#status-library")).isEqualTo("Demo library · " + demo + " images");
    assertThat(text(robot, "#status-model")).startsWith("tessera-default-emoji");

    Path photos = Files.createDirectories(dir.resolve("photos"));
    photo(photos.resolve("sun.png"), Color.ORANGE);
    photo(photos.resolve("sea.png"), Color.BLUE);
    await(onFx(robot, () -> window.library().index(List.of(photos))));
    assertThat(text(robot, "#status-library"))
        .isEqualTo("Demo library · " + (demo + 2) + " images");

    // Another model: the shipped bundle under another name, registered in the library.
    Path other = dir.resolve("other-model");
    copy(ShippedModels.defaultBundle(), other);
    Path manifest = other.resolve("bundle.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replaceFirst("\"name\"\\s*:\\s*\"[^\"]+\"", "\"name\" : \"tessera-other\""));
    try (ModelBundle bundle = ModelBundle.open(other, Device.CPU)) {
      workspace.library().library().register(bundle);
    }
    ModelInfo model =
        workspace.library().library().models().stream()
            .filter(m -> m.name().equals("tessera-other"))
            .findFirst()
            .orElseThrow();
    await(onFx(robot, () -> window.models().refresh()));
    robot.clickOn("Models");
    WaitForAsyncUtils.waitForFxEvents();

    // A switch paused before its first batch: the new model has no codes yet, so searches and
    // the status bar stay on the default model, whose codes are complete.
    CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
    robot.interact(
        () -> {
          started.complete(window.models().use(model));
          window.models().pause();
        });
    WaitForAsyncUtils.waitFor(
        30,
        TimeUnit.SECONDS,
        () -> text(robot, "#models-status").contains("with model tessera-other"));
    assertThat(window.models().switchingProperty().get()).isTrue();
    assertThat(text(robot, "#models-status")).startsWith("Paused · Coding");
    assertThat(text(robot, "#status-model")).startsWith("tessera-default-emoji");
    assertThat(workspace.summary().model()).startsWith("tessera-default-emoji");
    SearchBackend.Outcome meanwhile =
        workspace
            .search()
            .search(new SearchQuery("a red circle", null, SearchQuery.Target.IMAGES, 10));
    assertThat(meanwhile.images()).isNotEmpty();
    assertThat(workspace.library().library().activeModel().map(ModelInfo::name))
        .isNotEqualTo(Optional.of("tessera-other"));

    // Cancelled: nothing changes; the model is not active.
    robot.interact(() -> window.models().cancel());
    await(started.get());
    assertThat(window.models().switchingProperty().get()).isFalse();
    assertThat(text(robot, "#models-status")).contains("searches still use tessera-default-emoji");
    assertThat(text(robot, "#status-model")).startsWith("tessera-default-emoji");
    assertThat(workspace.library().library().activeModel().map(ModelInfo::name))
        .isNotEqualTo(Optional.of("tessera-other"));

    // Run to the end: then searches and the status bar use the new model.
    await(onFx(robot, () -> window.models().use(model)));
    WaitForAsyncUtils.waitFor(
        30, TimeUnit.SECONDS, () -> text(robot, "#status-model").startsWith("tessera-other"));
    assertThat(text(robot, "#status-model")).isEqualTo("tessera-other · 64 bits");
    assertThat(workspace.library().library().activeModel().map(ModelInfo::name))
        .contains("tessera-other");
    assertThat(
            workspace
                .search()
                .search(new SearchQuery("a red circle", null, SearchQuery.Target.IMAGES, 10))
                .images())
        .isNotEmpty();
  }

  /**
   * Dropping an image shows, first in the captions list, the caption the engine ranks first for
   * that image; an unreadable image is said once ("cannot read the query image" not repeated).
   */
  @Test
  void aDroppedImageListsTheEnginesBestCaptionFirstAndABadOneIsSaidOnce(FxRobot robot)
      throws Exception {
    await(onFx(robot, window::open));
    Path query = dir.resolve("query.png");
    photo(query, Color.RED);
    SearchBackend.Outcome expected =
        workspace
            .search()
            .search(
                new SearchQuery(null, new QueryImage.File(query), SearchQuery.Target.CAPTIONS, 10));

    robot.clickOn("#target-captions");
    robot.clickOn("#query").write("words typed before");
    robot.interact(() -> window.searchView().drop(List.of(query.toFile())));
    WaitForAsyncUtils.waitFor(
        30,
        TimeUnit.SECONDS,
        () -> !window.search().busyProperty().get() && !window.search().captionResults().isEmpty());
    WaitForAsyncUtils.waitForFxEvents();

    assertThat(window.search().captionResults().getFirst().caption())
        .isEqualTo(expected.captions().getFirst().caption());
    assertThat(window.search().captionResults().getFirst().captionId())
        .isEqualTo(expected.captions().getFirst().captionId());

    Path broken = dir.resolve("broken.png");
    Files.writeString(broken, "not an image");
    robot.interact(() -> window.searchView().drop(List.of(new File(broken.toString()))));
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.search().failedProperty().get());
    WaitForAsyncUtils.waitForFxEvents();
    String said = text(robot, "#search-status");
    assertThat(said).contains("broken.png");
    assertThat(said.split("query image", -1)).hasSize(2); // the failure is said exactly once
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
