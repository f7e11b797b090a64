package app.tessera.engine.api;

import java.util.function.Consumer;

/**
 * Progress of coding a library with a model ({@link Library#code}), called on the coding thread; a
 * window hops to its own thread. Both methods are optional.
 */
public interface CodingListener {
  /** A short line for a log ("coding 120 images and 130 captions with model …"). */
  default void message(String line) {}

  /** {@code done} of the {@code total} items this run codes are done (after every commit). */
  default void progress(int done, int total) {}

  CodingListener NONE = new CodingListener() {};

  /** Every event as a line (what the command line prints). */
  static CodingListener lines(Consumer<String> lines) {
    return new CodingListener() {
      @Override
      public void message(String line) {
        lines.accept(line);
      }

      @Override
      public void progress(int done, int total) {
        lines.accept("coded " + done + " of " + total + " items");
      }
    };
  }
}
