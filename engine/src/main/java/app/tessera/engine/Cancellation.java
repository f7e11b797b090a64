package app.tessera.engine;

/**
 * A request to stop a long job (indexing, coding, training) soon, or to pause it; what the job did
 * by then is kept. A job checks it between batches ({@link #isCancelled}) and waits there while it
 * is paused ({@link #awaitResumed}). Thread-safe: cancel, pause and resume from any thread.
 */
public final class Cancellation {
  private volatile boolean cancelled;
  private boolean paused;

  /** Asks the job to stop; a paused job wakes up to do so. */
  public synchronized void cancel() {
    cancelled = true;
    notifyAll();
  }

  public boolean isCancelled() {
    return cancelled;
  }

  /** Asks the job to wait at its next check until {@link #resume} (or {@link #cancel}). */
  public synchronized void pause() {
    paused = true;
  }

  public synchronized void resume() {
    paused = false;
    notifyAll();
  }

  public synchronized boolean isPaused() {
    return paused && !cancelled;
  }

  /**
   * Blocks while the job is paused and not cancelled (a job calls it between batches); returns at
   * once otherwise. An interrupt cancels the job.
   */
  public synchronized void awaitResumed() {
    while (paused && !cancelled) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelled = true;
      }
    }
  }
}
