package app.tessera.desktop;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Runs engine work off the JavaFX thread and hands the outcome back on it. Every call from the UI
 * into the engine goes through here, so the FX thread never blocks.
 */
public final class BackgroundTasks implements AutoCloseable {
  private final ExecutorService workers;
  private final Executor uiThread;

  private BackgroundTasks(ExecutorService workers, Executor uiThread) {
    this.workers = workers;
    this.uiThread = uiThread;
  }

  /** Workers on named daemon threads; outcomes delivered with {@link Platform#runLater}. */
  public static BackgroundTasks forFx() {
    AtomicInteger counter = new AtomicInteger();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread =
                  new Thread(runnable, "tessera-ui-worker-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    return new BackgroundTasks(workers, Platform::runLater);
  }

  /**
   * Runs {@code work} on a worker; then {@code onSuccess} or {@code onError} on the UI thread. The
   * returned future completes after the callback ran (tests wait on it).
   */
  public <T> CompletableFuture<Void> run(
      Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onError) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return work.call();
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            },
            workers)
        .handleAsync(
            (value, failure) -> {
              if (failure == null) {
                onSuccess.accept(value);
              } else {
                onError.accept(
                    failure instanceof CompletionException ? failure.getCause() : failure);
              }
              return null;
            },
            uiThread);
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
