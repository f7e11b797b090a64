package app.tessera.engine;

/**
 * A request to stop a long job (indexing, coding) soon; what the job did by then is kept. A job
 * checks it between batches. Thread-safe: cancel from any thread.
 */
public final class Cancellation {
  private volatile boolean cancelled;

  public void cancel() {
    cancelled = true;
  }

  public boolean isCancelled() {
    return cancelled;
  }
}
