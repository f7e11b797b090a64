package app.tessera.desktop.search;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.engine.search.SearchFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search page's state: which results win, and where queries run. No FX toolkit needed. */
class SearchViewModelTest {
  @TempDir Path dir;

  private static ResultCard card(long id, String caption) {
    return ResultCard.image(id, Path.of("/photos/" + caption + ".png"), caption, 0, 1, "why");
  }

  private static SearchBackend.Outcome found(String caption) {
    return SearchBackend.Outcome.images(List.of(card(1, caption)), 0.5, 10);
  }

  @Test
  void aNewerQuerysResultsAreNeverReplacedByAnOlderOnes() {
    Deque<Runnable> lane = new ArrayDeque<>();
    BackgroundTasks tasks = BackgroundTasks.using(Runnable::run, lane::add, Runnable::run);
    List<String> ran = new ArrayList<>();
    SearchViewModel model =
        new SearchViewModel(
            query -> {
              ran.add(query.text());
              return found(query.text());
            },
            tasks);

    model.textProperty().set("cat"); // typing searches (debounce: at once without a toolkit)
    Runnable cat = lane.removeFirst();
    cat.run(); // "cat" starts before "dog" is asked ...
    model.textProperty().set("dog");
    lane.removeFirst().run(); // ... "dog" answers, then the older "cat" outcome is ignored

    assertThat(model.imageResults()).extracting(ResultCard::caption).containsExactly("dog");
    assertThat(ran).containsExactly("cat", "dog");
    assertThat(model.busyProperty().get()).isFalse();
  }

  @Test
  void queriesOvertakenBeforeTheyStartAreSkipped() {
    Deque<Runnable> lane = new ArrayDeque<>();
    BackgroundTasks tasks = BackgroundTasks.using(Runnable::run, lane::add, Runnable::run);
    List<String> ran = new ArrayList<>();
    SearchViewModel model =
        new SearchViewModel(
            query -> {
              ran.add(query.text());
              return found(query.text());
            },
            tasks);
    for (String typed : List.of("c", "ca", "cat")) {
      model.textProperty().set(typed);
    }
    while (!lane.isEmpty()) {
      lane.removeFirst().run();
    }
    assertThat(ran).containsExactly("cat");
    assertThat(model.skippedQueries()).isEqualTo(2);
    assertThat(model.imageResults()).extracting(ResultCard::caption).containsExactly("cat");
  }

  @Test
  void aQueryDoesNotWaitBehindALongJob() throws Exception {
    ExecutorService jobs = Executors.newSingleThreadExecutor();
    ExecutorService searches = Executors.newSingleThreadExecutor();
    try {
      BackgroundTasks tasks = BackgroundTasks.using(jobs, searches, Runnable::run);
      CountDownLatch jobMayEnd = new CountDownLatch(1);
      var job = tasks.run(() -> jobMayEnd.await(30, TimeUnit.SECONDS), ok -> {}, e -> {});
      SearchViewModel model = new SearchViewModel(query -> found("cat"), tasks);
      model.textProperty().set("cat");

      model.search().get(10, TimeUnit.SECONDS); // answered while the job still runs
      assertThat(model.imageResults()).hasSize(1);
      assertThat(job).isNotDone();
      jobMayEnd.countDown();
      job.get(10, TimeUnit.SECONDS);
    } finally {
      jobs.shutdownNow();
      searches.shutdownNow();
    }
  }

  @Test
  void anEngineFailureIsShownAsTheStatus() {
    SearchViewModel model =
        new SearchViewModel(
            query -> {
              throw new IllegalStateException("No model yet.");
            },
            BackgroundTasks.sameThread());
    model.textProperty().set("cat");
    assertThat(model.statusProperty().get()).isEqualTo("No model yet.");
    assertThat(model.failedProperty().get()).isTrue();
    assertThat(model.imageResults()).isEmpty();
  }

  @Test
  void theStatusSaysHowManyOfHowManyNotACap() {
    SearchQuery images = new SearchQuery("cat", null, SearchQuery.Target.IMAGES, 2);
    List<ResultCard> two = List.of(card(1, "a"), card(2, "b"));
    assertThat(SearchViewModel.describe(images, SearchBackend.Outcome.images(two, 1.25, 7640)))
        .isEqualTo("Best 2 of 7,640 images for “cat” · 1.3 ms");
    assertThat(SearchViewModel.describe(images, SearchBackend.Outcome.images(two, 1, 2)))
        .isEqualTo("All 2 images for “cat” · 1.0 ms");
    SearchQuery filtered =
        new SearchQuery(
            "cat",
            null,
            SearchQuery.Target.IMAGES,
            200,
            new SearchFilter(null, "*.png", null, null, null));
    assertThat(SearchViewModel.describe(filtered, SearchBackend.Outcome.images(two, 1, 7640)))
        .startsWith("2 images match the filters for “cat”");
    SearchQuery both = new SearchQuery("cat", null, SearchQuery.Target.BOTH, 200);
    assertThat(
            SearchViewModel.describe(
                both, new SearchBackend.Outcome(two, List.of(card(3, "c")), 1, 2, 120)))
        .isEqualTo("All 2 images and best 1 of 120 captions for “cat” · 1.0 ms");
  }

  @Test
  void filtersBecomeTheEnginesFilterAndAnEmptyDateRangeIsRefused() {
    List<SearchQuery> asked = new ArrayList<>();
    SearchViewModel model =
        new SearchViewModel(
            query -> {
              asked.add(query);
              return found("x");
            },
            BackgroundTasks.sameThread());
    model.textProperty().set("cat");
    model.labelProperty().set("animals");
    model.pathPatternProperty().set("*.png");
    assertThat(asked.getLast().filter().label()).isEqualTo("animals");
    assertThat(asked.getLast().filter().pathGlob()).isEqualTo("*.png");
    assertThat(model.activeFilters()).isEqualTo(2);

    int before = asked.size();
    model.fromProperty().set(LocalDate.of(2024, 5, 2));
    model.toProperty().set(LocalDate.of(2024, 5, 1));
    assertThat(model.failedProperty().get()).isTrue();
    assertThat(model.statusProperty().get()).contains("empty date range");
    assertThat(asked).hasSize(before + 1); // only the valid "from" reached the engine

    model.clearFilters();
    assertThat(asked.getLast().filter().isEmpty()).isTrue();
    assertThat(model.activeFilters()).isZero();
  }

  @Test
  void exportWritesTheRowsShown() throws Exception {
    SearchViewModel model =
        new SearchViewModel(
            query ->
                SearchBackend.Outcome.images(
                    List.of(card(4, "a \"quoted\", caption"), card(9, "b")), 1, 50),
            BackgroundTasks.sameThread());
    model.textProperty().set("x");
    Path csv = dir.resolve("r.csv");
    assertThat(model.export(csv).get()).isEqualTo(2);
    assertThat(Files.readAllLines(csv))
        .containsExactly(
            "rank,kind,score,distance,path,caption,item_id,caption_id,why",
            "1,image,1.0,0,/photos/a \"quoted\", caption.png,\"a \"\"quoted\"\", caption\",4,,why"
                .replace(
                    "/photos/a \"quoted\", caption.png",
                    "\"/photos/a \"\"quoted\"\", caption.png\""),
            "2,image,1.0,0,/photos/b.png,b,9,,why");
  }
}
