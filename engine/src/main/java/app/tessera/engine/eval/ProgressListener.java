package app.tessera.engine.eval;

/** Human-readable progress of an evaluation (the CLI prints it; tests ignore it). */
@FunctionalInterface
public interface ProgressListener {
  void message(String line);

  ProgressListener NONE = line -> {};
}
