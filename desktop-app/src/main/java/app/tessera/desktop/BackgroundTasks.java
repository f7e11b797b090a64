package app.tessera.desktop;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.util.Duration;

/**
 * Runs engine work off the JavaFX thread and hands the outcome back on it. Every call from the UI
 * into the engine goes through here, so the FX thread never blocks.
 *
 * <p>Two lanes: {@link #run} for jobs (opening the library, indexing, coding, loading models),
 * {@link #search} for queries, on a thread of their own so a query never waits behind a job. The
 * search lane runs one query at a time, in order.
 */
public final class BackgroundTasks implements AutoCloseable {
  private final ExecutorService jobs;
  private final ExecutorService searches;
  private final Executor workers;
  private final Executor searchLane;
  private final Executor uiThread;

  private BackgroundTasks(
      ExecutorService jobs,
      ExecutorService searches,
      Executor workers,
      Executor searchLane,
      Executor uiThread) {
    this.jobs = jobs;
    this.searches = searches;
    this.workers = workers;
    this.searchLane = searchLane;
    this.uiThread = uiThread;
  }

  /** Workers on named daemon threads; outcomes delivered with {@link Platform#runLater}. */
  public static BackgroundTasks forFx() {
    ExecutorService jobs = Executors.newFixedThreadPool(2, daemons("tessera-ui-worker-"));
    ExecutorService searches = Executors.newSingleThreadExecutor(daemons("tessera-ui-search-"));
    return new BackgroundTasks(jobs, searches, jobs, searches, Platform::runLater);
  }

  /**
   * Everything on the calling thread, at once: for view-model tests, which then need no FX toolkit
   * and no waiting.
   */
  public static BackgroundTasks sameThread() {
    Executor now = Runnable::run;
    return new BackgroundTasks(null, null, now, now, now);
  }

  /** Jobs, queries and outcomes on the given executors (tests that control when each task runs). */
  public static BackgroundTasks using(Executor jobs, Executor searches, Executor uiThread) {
    return new BackgroundTasks(null, null, jobs, searches, uiThread);
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Runs {@code work} as a job; then {@code onSuccess} or {@code onError} on the UI thread. The
   * returned future completes after the callback ran (tests wait on it).
   */
  public <T> CompletableFuture<Void> run(
      Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onError) {
    return submit(workers, work, onSuccess, onError);
  }

  /** Runs {@code query} in the search lane; then its outcome on the UI thread, as {@link #run}. */
  public <T> CompletableFuture<Void> search(
      Callable<T> query, Consumer<? super T> onSuccess, Consumer<? super Throwable> onError) {
    return submit(searchLane, query, onSuccess, onError);
  }

  /**
   * Runs {@code action} in the search lane after the queries already in it (e.g. to close a model).
   */
  public void afterSearches(Runnable action) {
    searchLane.execute(action);
  }

  /**
   * A trigger that runs {@code action} on the UI thread once {@code delay} passed without another
   * trigger (typing: search when the user pauses). Call it on the UI thread. Without the FX toolkit
   * (view-model tests) the action runs at once.
   */
  public Runnable debounced(Duration delay, Runnable action) {
    if (jobs == null) {
      return action;
    }
    PauseTransition pause = new PauseTransition(delay);
    pause.setOnFinished(e -> action.run());
    return pause::playFromStart;
  }

  /** Runs {@code action} on the UI thread. */
  public void onUi(Runnable action) {
    uiThread.execute(action);
  }

  private <T> CompletableFuture<Void> submit(
      Executor lane,
      Callable<T> work,
      Consumer<? super T> onSuccess,
      Consumer<? super Throwable> onError) {
    CompletableFuture<T> started;
    try {
      started =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return work.call();
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              },
              lane);
    } catch (RejectedExecutionException closing) {
      // The window is closing: late requests (a cell asking for thumbnails) are dropped.
      return CompletableFuture.failedFuture(closing);
    }
    return started.handleAsync(
        (value, failure) -> {
          if (failure == null) {
            onSuccess.accept(value);
          } else {
            onError.accept(failure instanceof CompletionException ? failure.getCause() : failure);
          }
          return null;
        },
        uiThread);
  }

  @Override
  public void close() {
    if (jobs != null) {
      jobs.shutdownNow();
      searches.shutdownNow();
    }
  }
}
