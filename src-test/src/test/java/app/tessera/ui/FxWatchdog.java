package app.tessera.ui;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Measures whether the FX thread keeps answering: every 10 ms it posts a beat to the FX thread and
 * keeps the longest gap between two beats run there. A window whose FX thread waits for the engine
 * shows that wait as a gap as long as the engine's work.
 */
final class FxWatchdog implements AutoCloseable {
  private final AtomicLong worstGapNanos = new AtomicLong();
  private final AtomicLong lastBeat = new AtomicLong(System.nanoTime());
  private final AtomicBoolean watching = new AtomicBoolean(true);
  private final Thread beats;

  private FxWatchdog() {
    beats =
        Thread.ofPlatform()
            .daemon()
            .name("fx-watchdog")
            .start(
                () -> {
                  while (watching.get()) {
                    Platform.runLater(
                        () -> {
                          long now = System.nanoTime();
                          worstGapNanos.accumulateAndGet(now - lastBeat.getAndSet(now), Math::max);
                        });
                    try {
                      Thread.sleep(10);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  static FxWatchdog start() {
    return new FxWatchdog();
  }

  /** Forgets the gaps so far (e.g. the start of a test). */
  void reset() {
    lastBeat.set(System.nanoTime());
    worstGapNanos.set(0);
  }

  /** The longest the FX thread did not answer since the start or the last reset, in ms. */
  double worstStallMillis() {
    return worstGapNanos.get() / 1e6;
  }

  @Override
  public void close() throws InterruptedException {
    watching.set(false);
    beats.join();
  }
}
