package app.tessera.desktop;

import app.tessera.bench.CodingBenchmark;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.SystemActions;
import app.tessera.desktop.shell.Theme;
import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.ShippedModels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;

/**
 * {@code tessera bench grid}: how long a user waits, in the real window, between the last key of a
 * query and the grid showing its results. A library of generated image items (default 100,000,
 * coded with the shipped model: {@link CodingBenchmark#generate}) is opened in a {@link
 * MainWindow}; each query is typed into the search box a key at a time (a key every 60 ms, faster
 * than the typing pause, so one search runs per query), and two moments are timed from the last
 * key: the first frame whose grid shows the new results (tiles laid out with their captions), and
 * the first frame in which every tile on screen also has its thumbnail. Both include the typing
 * pause ({@code SearchViewModel.TYPING_PAUSE}), which is what the user waits for too. Needs a
 * display (e.g. {@code xvfb-run}); everything it writes is deleted after.
 */
public final class GridBenchmark {
  /** The pause between the keys of one query: quicker than the typing pause, as typing is. */
  private static final long KEY_GAP_MS = 60;

  private static final String[] WORDS = {
    "a dog", "red car", "sunset over the sea", "old church", "cat", "mountain lake",
    "bicycle", "birthday cake", "harbour boats", "snow", "a face", "green field",
    "train station", "flowers", "bridge at night", "market stall", "portrait", "river",
    "city street", "beach"
  };

  /**
   * @param items generated image items
   * @param queries queries typed and timed (after {@code warmup} untimed ones)
   */
  public record Config(int items, int queries, int warmup) {
    public static Config standard() {
      return new Config(100_000, 40, 5);
    }
  }

  private final Config config;
  private final Consumer<String> log;

  public GridBenchmark(Config config, Consumer<String> log) {
    this.config = config;
    this.log = log;
  }

  /** Runs the measurement; returns the results as an ordered map (JSON-ready). */
  public Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("machine", machine());
    Path dir = Files.createTempDirectory("tessera-bench-grid");
    try {
      Path file = dir.resolve("library.sqlite");
      log.accept("generating " + config.items() + " image items with cached features ...");
      try (ModelBundle bundle = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU)) {
        CodingBenchmark.generate(file, bundle, dir.resolve("generated"), config.items(), 42);
        try (Library library = Library.open(file)) {
          log.accept("coding them with " + bundle.manifest().name() + " ...");
          library.code(bundle, new Cancellation(), line -> {});
        }
      }
      result.put("items", config.items());
      result.put("typing_pause_ms", 250);
      result.put("key_gap_ms", KEY_GAP_MS);
      measure(file, result);
    } finally {
      deleteTree(dir);
    }
    return result;
  }

  private void measure(Path file, Map<String, Object> result) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();
    BackgroundTasks tasks = BackgroundTasks.forFx();
    Workspace workspace = new Workspace(new LibrarySession(file, false), tasks);
    CompletableFuture<Window> shown = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          Theme theme = new Theme(DesktopSettings.inMemory());
          theme.applySaved();
          MainWindow window = new MainWindow(workspace, tasks, theme, SystemActions.platform());
          Scene scene = new Scene(window.view().root(), 1280, 800);
          scene.getStylesheets().add(Theme.STYLESHEET);
          Stage stage = new Stage();
          stage.setScene(scene);
          stage.show();
          shown.complete(new Window(window, scene, stage));
        });
    Window w = shown.get(60, TimeUnit.SECONDS);
    try {
      CompletableFuture<CompletableFuture<Void>> opening = new CompletableFuture<>();
      Platform.runLater(() -> opening.complete(w.window.open()));
      opening.get().get(300, TimeUnit.SECONDS);
      log.accept("window open: " + workspace.summary().images() + " images");

      List<Double> laidOut = new ArrayList<>();
      List<Double> painted = new ArrayList<>();
      List<Double> engine = new ArrayList<>();
      for (int q = 0; q < config.warmup() + config.queries(); q++) {
        String query = WORDS[q % WORDS.length] + (q >= WORDS.length ? " " + q : "");
        double[] times = typeAndWait(w, query);
        if (q >= config.warmup()) {
          laidOut.add(times[0]);
          painted.add(times[1]);
          engine.add(times[2]);
          log.accept(
              String.format(
                  "%-28s results on screen %6.1f ms, thumbnails %6.1f ms (search %5.1f ms)",
                  "\"" + query + "\"", times[0], times[1], times[2]));
        }
      }
      result.put("queries", config.queries());
      result.put("results_on_screen_ms", percentiles(laidOut));
      result.put("thumbnails_on_screen_ms", percentiles(painted));
      result.put("search_status_ms", percentiles(engine));
    } finally {
      CountDownLatch closed = new CountDownLatch(1);
      Platform.runLater(
          () -> {
            w.stage.close();
            closed.countDown();
          });
      closed.await(10, TimeUnit.SECONDS);
      tasks.close();
      workspace.close();
      Platform.exit();
    }
  }

  private record Window(MainWindow window, Scene scene, Stage stage) {}

  /**
   * Types {@code query} over whatever is in the box, a key at a time, and returns the times from
   * the last key to the grid showing the results, to every visible thumbnail drawn, and the
   * engine's own time (the status line's figure) in milliseconds.
   */
  private double[] typeAndWait(Window w, String query) throws Exception {
    TextField box = (TextField) w.scene.lookup("#query");
    CompletableFuture<double[]> done = new CompletableFuture<>();
    long[] lastKey = new long[1];
    long[] onScreen = {-1};
    Platform.runLater(
        () -> {
          box.requestFocus();
          box.clear();
        });
    waitFx();
    Thread.sleep(400); // the cleared box's own search (if any) has run
    CountDownLatch resultsArrived = new CountDownLatch(1);
    Platform.runLater(
        () -> {
          ListChangeListener<Object> arrived =
              new ListChangeListener<>() {
                @Override
                public void onChanged(Change<?> change) {
                  if (w.window.search().textProperty().get().equals(query)) {
                    w.window.search().imageResults().removeListener(this);
                    resultsArrived.countDown();
                    watchFrames(w, done, lastKey, onScreen);
                  }
                }
              };
          w.window.search().imageResults().addListener(arrived);
        });
    waitFx();
    for (int i = 0; i < query.length(); i++) {
      String key = query.substring(i, i + 1);
      Platform.runLater(
          () -> {
            box.appendText(key); // what a key press does to the box
            lastKey[0] = System.nanoTime();
          });
      Thread.sleep(KEY_GAP_MS);
    }
    resultsArrived.await(60, TimeUnit.SECONDS);
    double[] times = done.get(60, TimeUnit.SECONDS);
    return times;
  }

  /** After the results arrived: times the first frame showing them, then the thumbnails. */
  private static void watchFrames(
      Window w, CompletableFuture<double[]> done, long[] lastKey, long[] onScreen) {
    Node grid = w.scene.lookup("#image-results");
    Runnable[] check = new Runnable[1];
    check[0] =
        () -> {
          long now = System.nanoTime();
          List<ImageView> visible = visibleThumbnails(grid);
          if (onScreen[0] < 0 && !visible.isEmpty()) {
            onScreen[0] = now;
          }
          if (onScreen[0] >= 0 && visible.stream().allMatch(v -> v.getImage() != null)) {
            w.scene.removePostLayoutPulseListener(check[0]);
            done.complete(
                new double[] {
                  (onScreen[0] - lastKey[0]) / 1e6,
                  (now - lastKey[0]) / 1e6,
                  engineMillis(w.window.search().statusProperty().get())
                });
          }
        };
    w.scene.addPostLayoutPulseListener(check[0]);
    Platform.requestNextPulse();
  }

  /** The thumbnails of the tiles inside the grid's viewport. */
  private static List<ImageView> visibleThumbnails(Node grid) {
    Bounds view = grid.localToScene(grid.getLayoutBounds());
    List<ImageView> out = new ArrayList<>();
    for (Node tile : grid.lookupAll(".tile")) {
      if (!tile.isVisible() || !tile.getParent().isVisible()) {
        continue;
      }
      Node cell = tile.getParent().getParent();
      if (cell == null || !cell.isVisible()) {
        continue;
      }
      Bounds b = tile.localToScene(tile.getLayoutBounds());
      if (b.getMinY() < view.getMaxY() && b.getMaxY() > view.getMinY()) {
        Node image = tile.lookup(".image-view");
        if (image instanceof ImageView v) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** The engine time in the status line ("Best 200 of 100,000 images for … · 12.3 ms"). */
  private static double engineMillis(String status) {
    int ms = status.lastIndexOf(" ms");
    int dot = status.lastIndexOf("· ", ms);
    if (ms < 0 || dot < 0) {
      return Double.NaN;
    }
    return Double.parseDouble(status.substring(dot + 2, ms).replace(",", ""));
  }

  private static void waitFx() throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    Platform.runLater(latch::countDown);
    latch.await(10, TimeUnit.SECONDS);
  }

  private static Map<String, Object> percentiles(List<Double> ms) {
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", round(percentile(sorted, 0.50)));
    m.put("p95", round(percentile(sorted, 0.95)));
    m.put("max", round(sorted[sorted.length - 1]));
    return m;
  }

  private static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.clamp(i, 0, sorted.length - 1)];
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** The table printed at the end. */
  public static String table(Map<String, Object> result) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%nTyping to rendered grid, %,d-item library, %s queries (ms from the last key)%n",
            (Integer) result.get("items"), result.get("queries")));
    out.append(String.format("%-34s %8s %8s %8s%n", "", "p50", "p95", "max"));
    for (String[] row :
        new String[][] {
          {"results on screen", "results_on_screen_ms"},
          {"every visible thumbnail drawn", "thumbnails_on_screen_ms"},
          {"of which the search (status line)", "search_status_ms"}
        }) {
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) result.get(row[1]);
      out.append(
          String.format(
              "%-34s %8.1f %8.1f %8.1f%n", row[0], p.get("p50"), p.get("p95"), p.get("max")));
    }
    out.append("(both include the ")
        .append(result.get("typing_pause_ms"))
        .append(" ms typing pause)\n");
    return out.toString();
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put(
        "load_average_at_start",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    m.put("java", Runtime.version().toString());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("javafx", System.getProperty("javafx.version"));
    m.put("prism", System.getProperty("prism.order", "default"));
    return m;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
