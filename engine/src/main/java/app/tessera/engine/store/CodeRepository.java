package app.tessera.engine.store;

import app.tessera.engine.code.BinaryCodes;
import java.sql.Connection;

/**
 * Codes inside a {@link Transaction}, so that they commit with the rows they belong to (a bulk
 * import writes a batch's items and their codes together). {@link CodeStore} is the same store
 * outside a transaction.
 */
public final class CodeRepository {
  private final Connection c;

  CodeRepository(Connection c) {
    this.c = c;
  }

  /** The ids of the items that have a code of {@code modelId}, ascending. */
  public long[] ids(long modelId) {
    return Sql.run(() -> CodeStore.ids(c, modelId));
  }

  /**
   * Appends the codes of items that have no code of {@code modelId} yet (the caller knows: unlike
   * {@link CodeStore#put}, nothing is looked up or replaced, so a batch costs its own blocks only).
   *
   * @throws IllegalArgumentException if {@code bits} is not the model's code length, the arrays
   *     disagree in size, or an id repeats
   */
  public void append(long modelId, long[] itemIds, long[] packedCodes, int bits) {
    int words = BinaryCodes.wordsPerCode(bits);
    if (packedCodes.length != itemIds.length * words) {
      throw new IllegalArgumentException(
          itemIds.length + " ids need " + itemIds.length * words + " words");
    }
    CodeStore.distinct(itemIds);
    Sql.run(
        () -> {
          CodeStore.checkBits(c, modelId, bits);
          CodeStore.appendBlocks(c, modelId, itemIds, packedCodes, words);
          return null;
        });
  }
}
