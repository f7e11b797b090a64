package app.tessera.ui;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.LibrarySession;
import app.tessera.desktop.MainView;
import app.tessera.desktop.Page;
import app.tessera.desktop.activity.ActivityLog;
import app.tessera.desktop.activity.ActivityView;
import app.tessera.desktop.library.LibrariesViewModel;
import app.tessera.desktop.library.LibraryView;
import app.tessera.desktop.library.LibraryViewModel;
import app.tessera.desktop.models.DownloadsViewModel;
import app.tessera.desktop.models.EvaluationViewModel;
import app.tessera.desktop.models.ModelsView;
import app.tessera.desktop.models.ModelsViewModel;
import app.tessera.desktop.models.TrainingViewModel;
import app.tessera.desktop.search.ResultCard;
import app.tessera.desktop.search.SearchBackend;
import app.tessera.desktop.search.SearchQuery;
import app.tessera.desktop.search.SearchView;
import app.tessera.desktop.search.SearchViewModel;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.Notifications;
import app.tessera.desktop.shell.SystemActions;
import app.tessera.engine.Device;
import app.tessera.engine.api.ModelPacks;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.controlsfx.control.GridView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The main window, headless (Monocle), over a scripted search backend. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
  private final List<SearchQuery> queries = new CopyOnWriteArrayList<>();
  private final BackgroundTasks tasks = BackgroundTasks.forFx();
  private final ActivityLog activity = new ActivityLog();
  private SearchViewModel search;
  private LibrarySession library;
  private LibraryViewModel libraryModel;
  private MainView view;
  @TempDir static Path folder;

  @Start
  void start(Stage stage) {
    SearchBackend backend =
        query -> {
          queries.add(query);
          if (query.text().contains("nothing")) {
            throw new IllegalStateException("The library has no model yet.");
          }
          return SearchBackend.Outcome.images(
              List.of(
                  ResultCard.image(1, Path.of("/photos/cat.png"), "a cat", 3, 0.9, "a cat"),
                  ResultCard.image(2, Path.of("/photos/dog.png"), "a dog", 7, 0.7, "a dog")),
              1.5,
              2);
        };
    search = new SearchViewModel(backend, tasks);
    library = new LibrarySession(folder.resolve("library.sqlite"));
    Notifications notifications = Notifications.forFx(activity);
    libraryModel =
        new LibraryViewModel(
            library::library, tasks, (control, progress) -> null, notifications, activity, () -> 1);
    LibrariesViewModel libraries =
        new LibrariesViewModel(
            library.file(),
            DesktopSettings.inMemory(),
            tasks,
            file -> "opened " + file,
            notifications,
            () -> {});
    ModelsViewModel models =
        new ModelsViewModel(
            library::library, tasks, dir -> "using " + dir, () -> null, notifications);
    TrainingViewModel training =
        new TrainingViewModel(
            tasks,
            (request, name, control, progress) -> {
              throw new IllegalStateException("not in this test");
            },
            notifications,
            () -> "library",
            () -> Device.CPU,
            report -> {});
    EvaluationViewModel evaluation = new EvaluationViewModel(library::library, tasks);
    DownloadsViewModel downloads =
        new DownloadsViewModel(ModelPacks.shipped(), tasks, notifications, activity);
    view = new MainView(notifications);
    view.addPage(
        Page.SEARCH,
        heading ->
            new SearchView(search, heading, tasks, SystemActions.platform(), notifications).root());
    view.addPage(Page.LIBRARY, heading -> new LibraryView(libraryModel, libraries, heading).root());
    view.addPage(
        Page.MODELS,
        heading -> new ModelsView(models, training, evaluation, downloads, heading).root());
    view.addPage(Page.ACTIVITY, heading -> new ActivityView(activity, heading).root());
    stage.setScene(new Scene(view.root(), 1000, 700));
    stage.show();
  }

  @AfterEach
  void stopWorkers() {
    tasks.close();
    library.close();
  }

  private static String shownPage(FxRobot robot) {
    StackPane content = robot.lookup("#content").queryAs(StackPane.class);
    assertThat(content.getChildren()).hasSize(1);
    return content.getChildren().getFirst().getId();
  }

  @Test
  void theStatusBarShowsWhereNetworksRunAndWhy(FxRobot robot) {
    Label device = robot.lookup("#device").queryAs(Label.class);
    assertThat(device.getText()).isEmpty();

    robot.interact(
        () -> view.showDevice("CPU", "no NVIDIA driver is installed (libcuda.so.1 not found)"));

    assertThat(device.getText()).isEqualTo("CPU");
    robot.interact(() -> {});
    assertThat(device.getTooltip().getText()).contains("no NVIDIA driver");
  }

  @Test
  void navigationShowsEachPage(FxRobot robot) {
    assertThat(shownPage(robot)).isEqualTo("page-search");
    ListView<Page> navigation = robot.lookup("#navigation").queryListView();
    assertThat(navigation.getItems())
        .containsExactly(Page.SEARCH, Page.LIBRARY, Page.MODELS, Page.ACTIVITY);
    robot.clickOn("Library");
    assertThat(shownPage(robot)).isEqualTo("page-library");
    robot.clickOn("Models");
    assertThat(shownPage(robot)).isEqualTo("page-models");
    robot.clickOn("Search");
    assertThat(shownPage(robot)).isEqualTo("page-search");
  }

  @Test
  void typingAQueryShowsRankedThumbnailsThenCaptions(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat on a sofa");
    robot.clickOn("#search");
    WaitForAsyncUtils.waitForFxEvents();
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !search.busyProperty().get());
    WaitForAsyncUtils.waitForFxEvents();

    assertThat(queries)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.text()).isEqualTo("cat on a sofa");
              assertThat(q.target()).isEqualTo(SearchQuery.Target.IMAGES);
            });
    GridView<?> grid = robot.lookup("#image-results").queryAs(GridView.class);
    assertThat(grid.isVisible()).isTrue();
    assertThat(grid.getItems()).hasSize(2);
    assertThat(robot.lookup("#search-status").queryAs(Label.class).getText())
        .isEqualTo("2 images in 1.5 ms");

    robot.clickOn("#target-captions");
    robot.clickOn("#search");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> queries.size() == 2);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(queries.get(1).target()).isEqualTo(SearchQuery.Target.CAPTIONS);
    Node captions = robot.lookup("#caption-results").query();
    assertThat(captions.isVisible()).isTrue();
    assertThat(grid.isVisible()).isFalse();
  }

  @Test
  void anEngineErrorIsShownNotThrown(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("nothing here");
    robot.clickOn("#search");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !search.busyProperty().get());
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#search-status").queryAs(Label.class).getText())
        .isEqualTo("The library has no model yet.");
  }

  @Test
  void indexingAFolderListsItsRootAndItsFailures(FxRobot robot) throws Exception {
    Path photos = Files.createDirectories(folder.resolve("photos"));
    for (int i = 0; i < 3; i++) {
      BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
      image.setRGB(i, i, 0xff0000);
      ImageIO.write(image, "png", photos.resolve("photo-" + i + ".png").toFile());
    }
    Files.writeString(photos.resolve("broken.jpg"), "not really a JPEG");
    robot.clickOn("Library");

    // View models are driven from the FX thread, as the buttons do.
    CompletableFuture<CompletableFuture<Void>> job = new CompletableFuture<>();
    robot.interact(() -> job.complete(libraryModel.index(List.of(photos))));
    job.get().get(60, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();

    TableView<?> roots = robot.lookup("#roots").queryAs(TableView.class);
    assertThat(roots.getItems()).hasSize(1);
    assertThat(libraryModel.folders().getFirst().files()).isEqualTo(4);
    assertThat(libraryModel.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).endsWith("broken.jpg"));
    assertThat(robot.lookup("#library-status").queryAs(Label.class).getText())
        .startsWith("Indexed")
        .contains("3 added")
        .contains("1 failed");

    robot.clickOn("Activity");
    ListView<String> log = robot.lookup("#activity").queryListView();
    assertThat(log.getItems())
        .singleElement()
        .asString()
        .contains("Indexed in")
        .contains("3 added");
  }

  @Test
  void anEmptyQueryAsksForInputWithoutCallingTheEngine(FxRobot robot) {
    robot.clickOn("#search");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(queries).isEmpty();
    assertThat(robot.lookup("#search-status").queryAs(Label.class).getText())
        .startsWith("Type what you are looking for");
  }
}
