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
import app.tessera.desktop.search.QueryImage;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
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

/** The main window, headless (Monocle), over a scripted search backend. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
  private final List<SearchQuery> queries = new CopyOnWriteArrayList<>();
  private final List<Path> opened = new CopyOnWriteArrayList<>();
  private final BackgroundTasks tasks = BackgroundTasks.forFx();
  private final ActivityLog activity = new ActivityLog();
  private SearchViewModel search;
  private LibrarySession library;
  private LibraryViewModel libraryModel;
  private MainView view;
  private SearchView searchView;
  private Notifications notifications;
  private volatile long engineMillis = 0;
  @TempDir static Path folder;

  @Start
  void start(Stage stage) {
    SearchBackend backend =
        query -> {
          queries.add(query);
          if (query.hasText() && query.text().contains("nothing")) {
            throw new IllegalStateException("The library has no model yet.");
          }
          if (engineMillis > 0) {
            Thread.sleep(engineMillis); // a slow engine
          }
          List<ResultCard> images = new ArrayList<>();
          List<ResultCard> captions = new ArrayList<>();
          for (int i = 0; i < 12; i++) {
            images.add(
                ResultCard.image(
                    i + 1, Path.of("/photos/p" + i + ".png"), "photo " + i, i, 1 - i / 64.0, "w"));
            captions.add(
                new ResultCard(
                    i + 1,
                    100 + i,
                    Path.of("/photos/p" + i + ".png"),
                    "caption " + i,
                    i,
                    0.5,
                    "w"));
          }
          return new SearchBackend.Outcome(
              query.target().images() ? images : List.of(),
              query.target().captions() ? captions : List.of(),
              1.5,
              7640,
              15280);
        };
    search = new SearchViewModel(backend, tasks);
    library = new LibrarySession(folder.resolve("library.sqlite"));
    notifications = Notifications.forFx(activity);
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
            library::library,
            tasks,
            (name, control, progress) -> {
              throw new IllegalStateException("not in this test");
            },
            () -> null,
            notifications);
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
            (searchView = new SearchView(search, heading, tasks, recording(), notifications))
                .root());
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

  private SystemActions recording() {
    return new SystemActions() {
      @Override
      public void open(Path file) {
        opened.add(file);
      }

      @Override
      public void reveal(Path file) {
        opened.add(file.getParent());
      }
    };
  }

  private static String shownPage(FxRobot robot) {
    StackPane content = robot.lookup("#content").queryAs(StackPane.class);
    assertThat(content.getChildren()).hasSize(1);
    return content.getChildren().getFirst().getId();
  }

  /** Waits until the query lane and the FX thread have nothing left to do. */
  private void settle() throws Exception {
    WaitForAsyncUtils.waitForFxEvents();
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !search.busyProperty().get());
    WaitForAsyncUtils.waitForFxEvents();
  }

  private String status(FxRobot robot) {
    return robot.lookup("#search-status").queryAs(Label.class).getText();
  }

  @Test
  void theStatusBarShowsWhereNetworksRunAndWhy(FxRobot robot) {
    Label device = robot.lookup("#device").queryAs(Label.class);
    assertThat(device.getText()).isEmpty();

    robot.interact(
        () -> view.showDevice("CPU", "no NVIDIA driver is installed (libcuda.so.1 not found)"));

    assertThat(device.getText()).isEqualTo("CPU");
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
    robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
    assertThat(shownPage(robot)).isEqualTo("page-search");
  }

  @Test
  void resultsFollowTheTypingWithoutPressingEnter(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat on a sofa");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();

    assertThat(queries.getLast().text()).isEqualTo("cat on a sofa");
    assertThat(queries.getLast().target()).isEqualTo(SearchQuery.Target.IMAGES);
    // Debounced: far fewer queries than key presses.
    assertThat(queries.size()).isLessThan("cat on a sofa".length() / 2);
    ListView<?> grid = robot.lookup("#image-results").queryAs(ListView.class);
    assertThat(grid.isVisible()).isTrue();
    assertThat(search.imageResults()).hasSize(12);
  }

  /** Bug: switching Images/Captions did not re-run the query (blank tiles, caption text). */
  @Test
  void switchingToCaptionsReRunsTheQuery(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    int before = queries.size();

    robot.clickOn("#target-captions");
    settle();

    assertThat(queries).hasSizeGreaterThan(before);
    assertThat(queries.getLast().target()).isEqualTo(SearchQuery.Target.CAPTIONS);
    assertThat(queries.getLast().text()).isEqualTo("cat");
    ListView<?> captions = robot.lookup("#caption-results").queryAs(ListView.class);
    assertThat(captions.getItems()).hasSize(12);
    assertThat(captions.getScene()).isNotNull(); // shown
    assertThat(status(robot)).contains("captions");

    robot.clickOn("#target-both");
    settle();
    assertThat(queries.getLast().target()).isEqualTo(SearchQuery.Target.BOTH);
    assertThat(search.imageResults()).hasSize(12);
    assertThat(search.captionResults()).hasSize(12);
  }

  /** Bug: text left in the box silently combined with a chosen image. */
  @Test
  void aDroppedImageReplacesTheTextAndCombiningIsSaidOnScreen(FxRobot robot) throws Exception {
    Path photo = folder.resolve("query.png");
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", photo.toFile());
    robot.clickOn("#query").write("old words");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();

    robot.interact(() -> searchView.drop(List.of(photo.toFile())));
    settle();

    assertThat(queries.getLast().image()).isEqualTo(new QueryImage.File(photo));
    assertThat(queries.getLast().hasText()).isFalse();
    assertThat(robot.lookup("#query").queryTextInputControl().getText()).isEmpty();
    assertThat(robot.lookup("#query-image").queryAs(Label.class).getText()).isEqualTo("query.png");
    assertThat(status(robot)).contains("for query.png");

    robot.clickOn("#query").write("red");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> queries.getLast().hasText());
    settle();
    assertThat(queries.getLast().image()).isEqualTo(new QueryImage.File(photo));
    assertThat(robot.lookup("#query-image").queryAs(Label.class).getText())
        .isEqualTo("query.png  + text");
    assertThat(status(robot)).contains("for query.png + “red”");
  }

  /** Bug: "60 images" was a fixed cap that read as a match count. */
  @Test
  void theStatusSaysBestNOfHowMany(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    assertThat(status(robot)).startsWith("Best 12 of 7,640 images for “cat”");
  }

  @Test
  void anEngineErrorIsShownNotThrown(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("nothing here");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    assertThat(status(robot)).isEqualTo("The library has no model yet.");
  }

  @Test
  void previewOpensAndStepsWithTheArrowsAndEscCloses(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    ListView<?> grid = robot.lookup("#image-results").queryAs(ListView.class);
    robot.interact(grid::requestFocus); // as Tab does: the first tile is selected
    robot.type(KeyCode.RIGHT);
    robot.type(KeyCode.ENTER);
    WaitForAsyncUtils.waitForFxEvents();

    Node preview = robot.lookup("#preview").query();
    assertThat(preview.isVisible()).isTrue();
    assertThat(robot.lookup("#preview-title").queryAs(Label.class).getText()).isEqualTo("p1.png");
    assertThat(robot.lookup("#preview-position").queryAs(Label.class).getText())
        .isEqualTo("2 of 12");

    robot.type(KeyCode.RIGHT);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#preview-title").queryAs(Label.class).getText()).isEqualTo("p2.png");
    robot.type(KeyCode.LEFT).type(KeyCode.LEFT);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#preview-title").queryAs(Label.class).getText()).isEqualTo("p0.png");

    robot.type(KeyCode.ESCAPE);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(preview.isVisible()).isFalse();
  }

  @Test
  void arrowsMoveTheSelectionInTheGridAndCtrlFFocusesTheQuery(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    ListView<?> grid = robot.lookup("#image-results").queryAs(ListView.class);
    robot.interact(grid::requestFocus);
    robot.type(KeyCode.RIGHT).type(KeyCode.RIGHT).type(KeyCode.LEFT);
    robot.interact(() -> {});
    assertThat(search.preview().showingProperty().get()).isFalse();
    robot.type(KeyCode.SPACE);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#preview-title").queryAs(Label.class).getText()).isEqualTo("p1.png");
    robot.type(KeyCode.ESCAPE);

    robot.interact(
        () ->
            view.addShortcut(
                new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                searchView::focusQuery));
    robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#query").query().isFocused()).isTrue();
  }

  /** Down in the search box moves to the results; Enter there previews the selected one. */
  @Test
  void downFromTheSearchBoxGoesToTheResults(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    robot.type(KeyCode.DOWN);
    assertThat(robot.lookup("#image-results").query().isFocused()).isTrue();
    robot.type(KeyCode.RIGHT).type(KeyCode.ENTER);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(search.preview().showingProperty().get()).isTrue();
    assertThat(robot.lookup("#preview-title").queryAs(Label.class).getText()).isEqualTo("p1.png");
    robot.type(KeyCode.ESCAPE);
  }

  /** The Settings page's thumbnail size is the grid's tile size, at once. */
  @Test
  void theTileSizeFollowsTheSetting(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    ListView<?> grid = robot.lookup("#image-results").queryAs(ListView.class);
    assertThat(tileWidths(robot)).containsOnly(176.0);
    int before = tilesPerRow(robot);

    robot.interact(() -> search.tileSizeProperty().set(120));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(tileWidths(robot)).containsOnly(120.0);
    assertThat(tilesPerRow(robot))
        .isGreaterThan(before)
        .isEqualTo((int) ((grid.getWidth() - 24) / (120 + 10)));
  }

  private static List<Double> tileWidths(FxRobot robot) {
    return robot.lookup("#image-results .tile").queryAll().stream()
        .filter(Node::isVisible)
        .map(n -> n.getLayoutBounds().getWidth())
        .distinct()
        .toList();
  }

  /** The tiles of the fullest row on screen. */
  private static int tilesPerRow(FxRobot robot) {
    return robot.lookup("#image-results .result-row").queryAll().stream()
        .filter(Node::isVisible)
        .mapToInt(row -> (int) row.lookupAll(".tile").stream().filter(Node::isVisible).count())
        .max()
        .orElse(0);
  }

  @Test
  void exportWritesExactlyTheShownRows(FxRobot robot) throws Exception {
    robot.clickOn("#query").write("cat");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !queries.isEmpty());
    settle();
    robot.clickOn("#target-both");
    settle();
    Path json = folder.resolve("shown.json");
    CompletableFuture<CompletableFuture<Integer>> export = new CompletableFuture<>();
    robot.interact(() -> export.complete(search.export(json)));
    assertThat(export.get().get(10, TimeUnit.SECONDS)).isEqualTo(24);

    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    List<ResultCard> shown = new ArrayList<>(search.imageResults());
    shown.addAll(search.captionResults());
    assertThat(rows).hasSize(shown.size());
    for (int i = 0; i < shown.size(); i++) {
      assertThat(rows.get(i).get("rank").asInt()).isEqualTo(i + 1);
      assertThat(rows.get(i).get("path").asText()).isEqualTo(shown.get(i).path().toString());
      assertThat(rows.get(i).get("caption").asText()).isEqualTo(shown.get(i).caption());
      assertThat(rows.get(i).get("kind").asText())
          .isEqualTo(shown.get(i).isCaption() ? "caption" : "image");
    }
  }

  /** The FX thread keeps answering (every 10 ms) while a slow search runs. */
  @Test
  void theFxThreadNeverBlocksDuringASlowSearch(FxRobot robot) throws Exception {
    engineMillis = 1500;
    double stall;
    try (FxWatchdog watchdog = FxWatchdog.start()) {
      robot.clickOn("#query").write("slow");
      WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> search.busyProperty().get());
      watchdog.reset();
      WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !search.busyProperty().get());
      stall = watchdog.worstStallMillis();
    }

    assertThat(search.imageResults()).hasSize(12);
    assertThat(stall)
        .as("longest FX-thread stall while the engine took 1.5 s (ms)")
        .isLessThan(500);
  }

  @Test
  void aFailureIsANonModalNoticeWithDetails(FxRobot robot) {
    robot.interact(
        () ->
            notifications.error(
                "Cannot open p1.png",
                new java.io.UncheckedIOException(
                    "cannot read x: cannot read x.png: bad header",
                    new java.io.IOException("bad header"))));
    Label message = robot.lookup("#notifications .notice-message").queryAs(Label.class);
    assertThat(message.getText()).isEqualTo("cannot read x.png: bad header");
    Node details = robot.lookup("#notice-details").query();
    assertThat(details.isVisible()).isFalse();
    robot.clickOn("#notice-show-details");
    assertThat(details.isVisible()).isTrue();
    assertThat(robot.lookup("#notice-details").queryTextInputControl().getText())
        .contains("UncheckedIOException");
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
    assertThat(log.getItems()).hasSize(2);
    assertThat(log.getItems().getFirst()).contains("Could not index broken.jpg");
    assertThat(log.getItems().getLast()).contains("Indexed in").contains("3 added");
  }

  @Test
  void anEmptyQueryAsksForInputWithoutCallingTheEngine(FxRobot robot) {
    robot.clickOn("#query").write("a").eraseText(1);
    WaitForAsyncUtils.waitForFxEvents();
    robot.sleep(400);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(queries.stream().filter(SearchQuery::hasText)).isEmpty();
    assertThat(status(robot)).startsWith("Type what you are looking for");
    assertThat(robot.lookup("#search-empty").query().isVisible()).isTrue();
  }
}
