package app.tessera.engine.dataset;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The {@code split} column of a dataset folder. The retrieval database is every non-query row;
 * training uses only {@link #TRAIN_DATABASE} rows.
 */
public enum Split {
  /** Retrieval queries: never trained, tuned or selected on. */
  QUERY("query"),
  /** Retrieval database only. */
  DATABASE("database"),
  /** Training rows, also part of the retrieval database. */
  TRAIN_DATABASE("train+database");

  private final String label;

  Split(String label) {
    this.label = label;
  }

  /** The spelling in {@code manifest.csv}. */
  public String label() {
    return label;
  }

  public boolean inDatabase() {
    return this != QUERY;
  }

  public boolean forTraining() {
    return this == TRAIN_DATABASE;
  }

  /** Parses a manifest spelling; {@code null} when it is none of them. */
  static Split parse(String text) {
    for (Split split : values()) {
      if (split.label.equals(text)) {
        return split;
      }
    }
    return null;
  }

  static String spellings() {
    return Arrays.stream(values()).map(Split::label).collect(Collectors.joining(", "));
  }
}
