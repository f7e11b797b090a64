package app.tessera.desktop.search;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The search page's state: which results win, and where queries run. No FX toolkit needed. */
class SearchViewModelTest {
  private static SearchBackend.Outcome found(String caption) {
    return new SearchBackend.Outcome(
        List.of(new ResultCard(1, Path.of("/photos/" + caption + ".png"), caption, null, 0, 1)),
        0.5);
  }

  @Test
  void aNewerQuerysResultsAreNeverReplacedByAnOlderOnes() {
    Deque<Runnable> lane = new ArrayDeque<>();
    BackgroundTasks tasks = BackgroundTasks.using(Runnable::run, lane::add, Runnable::run);
    SearchViewModel model = new SearchViewModel(query -> found(query.text()), tasks);

    model.textProperty().set("cat");
    model.search();
    model.textProperty().set("dog");
    model.search();
    lane.removeLast().run(); // "dog" answers first ...
    lane.removeLast().run(); // ... then the older "cat" arrives late

    assertThat(model.results()).extracting(ResultCard::caption).containsExactly("dog");
    assertThat(model.busyProperty().get()).isFalse();
    assertThat(model.statusProperty().get()).isEqualTo("1 images in 0.5 ms");
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
      assertThat(model.results()).hasSize(1);
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
    model.search();
    assertThat(model.statusProperty().get()).isEqualTo("No model yet.");
    assertThat(model.results()).isEmpty();
  }
}
