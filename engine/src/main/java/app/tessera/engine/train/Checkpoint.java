package app.tessera.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A resumable training state in a folder: the loop's progress ({@code checkpoint.json}), the
 * weights after the last finished epoch ({@code last.params}) and those of the best one ({@code
 * best.params}), each written to a temporary file and moved into place, so a run killed at any
 * moment leaves the previous checkpoint whole. A checkpoint carries a key (what the run's settings
 * and data were): a run with another key starts afresh and overwrites it.
 */
public final class Checkpoint {
  private static final String STATE = "checkpoint.json";
  private static final String LAST = "last.params";
  private static final String BEST = "best.params";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  /** A checkpoint in {@code dir}, or none (nothing read or written) when it is null. */
  public Checkpoint(Path dir) {
    this.dir = dir;
  }

  /** What a checkpoint holds. */
  public record State(
      int epochsDone,
      int bestEpoch,
      double bestScore,
      int sinceBest,
      byte[] lastWeights,
      byte[] bestWeights) {
    /** The state after {@code epochsDone} epochs with {@code stopping}'s bookkeeping. */
    public static State of(
        int epochsDone, EarlyStopping stopping, byte[] lastWeights, byte[] bestWeights) {
      return new State(
          epochsDone,
          stopping.bestEpoch(),
          stopping.bestScore(),
          stopping.epochsSinceBest(),
          lastWeights,
          bestWeights);
    }

    /** The early-stopping bookkeeping to go on with. */
    public EarlyStopping stopping(int patience) {
      return EarlyStopping.resume(patience, bestEpoch, bestScore, sinceBest);
    }
  }

  /**
   * The state saved under {@code key}; empty when there is none or it belongs to another run.
   *
   * @throws IllegalStateException when a checkpoint of this run exists but cannot be read
   */
  public Optional<State> read(String key) {
    if (dir == null || !Files.isRegularFile(dir.resolve(STATE))) {
      return Optional.empty();
    }
    try {
      JsonNode state = JSON.readTree(dir.resolve(STATE).toFile());
      if (!state.get("key").asText().equals(key)) {
        return Optional.empty(); // another run's checkpoint: start afresh (it will be overwritten)
      }
      return Optional.of(
          new State(
              state.get("epochsDone").asInt(),
              state.get("bestEpoch").asInt(),
              state.get("bestScore").asDouble(Double.NaN),
              state.get("sinceBest").asInt(),
              Files.readAllBytes(dir.resolve(LAST)),
              Files.readAllBytes(dir.resolve(BEST))));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot resume from the checkpoint in " + dir + " (delete it to start afresh): " + e, e);
    }
  }

  /** Saves {@code state} under {@code key} (nothing when there is no folder). */
  public void write(String key, State state) {
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(dir);
      writeAtomically(dir.resolve(LAST), state.lastWeights());
      writeAtomically(dir.resolve(BEST), state.bestWeights());
      ObjectNode json = JSON.createObjectNode();
      json.put("key", key);
      json.put("epochsDone", state.epochsDone());
      json.put("bestEpoch", state.bestEpoch());
      json.put("bestScore", state.bestScore());
      json.put("sinceBest", state.sinceBest());
      writeAtomically(dir.resolve(STATE), JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
    }
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
