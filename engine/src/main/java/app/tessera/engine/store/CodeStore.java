package app.tessera.engine.store;

import app.tessera.engine.code.BinaryCodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The packed binary codes of each hashing model, stored in blocks of up to {@link #BLOCK_SIZE}
 * codes per row so that loading all codes at start-up is a handful of sequential BLOB reads (tens
 * of millions of codes per second) rather than one row per item.
 *
 * <p>Codes use the {@link BinaryCodes} layout; a model's code length is fixed by its row in {@code
 * models}, so codes of different models or lengths never mix. An item has at most one code per
 * model: {@link #put} replaces the codes of items already stored, rewriting only the blocks that
 * held them, so coding a few new items costs a few block writes, not the whole model.
 */
public final class CodeStore {
  /** Codes per block row. */
  public static final int BLOCK_SIZE = 8192;

  private final Catalog catalog;

  public CodeStore(Catalog catalog) {
    this.catalog = catalog;
  }

  /** All codes of one model: {@code itemIds[i]} owns code {@code i} of {@code codes}. */
  public record Codes(int bits, long[] itemIds, long[] codes) {
    public int size() {
      return itemIds.length;
    }

    public int wordsPerCode() {
      return BinaryCodes.wordsPerCode(bits);
    }
  }

  /**
   * Stores the codes of {@code itemIds} (packed, {@code ceil(bits/64)} words each) for {@code
   * modelId}, replacing any code those items already had for this model.
   *
   * @throws IllegalArgumentException if {@code bits} is not the model's code length, the arrays
   *     disagree in size, or an id repeats
   */
  public void put(long modelId, long[] itemIds, long[] packedCodes, int bits) {
    int words = BinaryCodes.wordsPerCode(bits);
    if (packedCodes.length != itemIds.length * words) {
      throw new IllegalArgumentException(
          itemIds.length
              + " ids need "
              + itemIds.length * words
              + " words, got "
              + packedCodes.length);
    }
    Set<Long> incoming = distinct(itemIds);
    catalog.writeSql(
        c -> {
          checkBits(c, modelId, bits);
          removeItems(c, modelId, incoming, words);
          appendBlocks(c, modelId, itemIds, packedCodes, words);
          return null;
        });
  }

  static Set<Long> distinct(long[] itemIds) {
    Set<Long> out = new HashSet<>(itemIds.length * 2);
    for (long id : itemIds) {
      if (!out.add(id)) {
        throw new IllegalArgumentException("item " + id + " appears twice");
      }
    }
    return out;
  }

  /** Removes the codes of {@code itemIds} (those it has) from one model. */
  public void remove(long modelId, Set<Long> itemIds) {
    if (itemIds.isEmpty()) {
      return;
    }
    catalog.writeSql(
        c -> {
          removeItems(c, modelId, itemIds, BinaryCodes.wordsPerCode(bits(c, modelId)));
          return null;
        });
  }

  /** The ids of the items that have a code of {@code modelId}, ascending. */
  public long[] ids(long modelId) {
    return catalog.readSql(c -> ids(c, modelId));
  }

  /** Same as {@link #ids(long)} on the caller's connection. */
  static long[] ids(Connection c, long modelId) throws SQLException {
    bits(c, modelId); // a clear error for an unknown model
    long[] ids = new long[0];
    int at = 0;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT count, item_ids FROM code_blocks WHERE model_id = ? ORDER BY block_no")) {
      st.setLong(1, modelId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids = Arrays.copyOf(ids, at + rs.getInt(1));
          at += Blobs.toLongs(rs.getBytes(2), ids, at);
        }
      }
    }
    Arrays.sort(ids);
    return ids;
  }

  /** Removes the codes of {@code itemIds} from every model (e.g. their content changed). */
  public void removeItemsFromAllModels(Set<Long> itemIds) {
    if (itemIds.isEmpty()) {
      return;
    }
    catalog.writeSql(
        c -> {
          removeItemsFromAllModels(c, itemIds);
          return null;
        });
  }

  /** Same as {@link #removeItemsFromAllModels(Set)} inside the caller's transaction. */
  static void removeItemsFromAllModels(Connection c, Set<Long> itemIds) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT id, bits FROM models");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        removeItems(c, rs.getLong(1), itemIds, BinaryCodes.wordsPerCode(rs.getInt(2)));
      }
    }
  }

  /** Loads every code of {@code modelId}, in storage order. */
  public Codes load(long modelId) {
    return catalog.readSql(c -> load(c, modelId));
  }

  /** Same as {@link #load(long)} on the caller's connection. */
  static Codes load(Connection c, long modelId) throws SQLException {
    int bits = bits(c, modelId);
    int words = BinaryCodes.wordsPerCode(bits);
    int total;
    try (PreparedStatement st =
        c.prepareStatement("SELECT coalesce(sum(count), 0) FROM code_blocks WHERE model_id = ?")) {
      st.setLong(1, modelId);
      try (ResultSet rs = st.executeQuery()) {
        total = rs.next() ? rs.getInt(1) : 0;
      }
    }
    long[] ids = new long[total];
    long[] codes = new long[Math.multiplyExact(total, words)];
    int at = 0;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT count, item_ids, codes FROM code_blocks WHERE model_id = ? ORDER BY block_no")) {
      st.setLong(1, modelId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          int count = rs.getInt(1);
          Blobs.toLongs(rs.getBytes(2), ids, at);
          Blobs.toLongs(rs.getBytes(3), codes, at * words);
          at += count;
        }
      }
    }
    return new Codes(bits, ids, codes);
  }

  private static int bits(Connection c, long modelId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT bits FROM models WHERE id = ?")) {
      st.setLong(1, modelId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("no model with id " + modelId);
        }
        return rs.getInt(1);
      }
    }
  }

  static void checkBits(Connection c, long modelId, int bits) throws SQLException {
    int modelBits = bits(c, modelId);
    if (modelBits != bits) {
      throw new IllegalArgumentException(
          "model " + modelId + " has " + modelBits + "-bit codes, not " + bits);
    }
  }

  /**
   * Rewrites only the blocks that hold one of {@code itemIds}; reads the codes of those blocks only
   * (the ids tell which).
   */
  private static void removeItems(Connection c, long modelId, Set<Long> itemIds, int words)
      throws SQLException {
    if (itemIds.isEmpty()) {
      return;
    }
    List<Long> touched = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement("SELECT block_no, item_ids FROM code_blocks WHERE model_id = ?")) {
      select.setLong(1, modelId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          for (long id : Blobs.toLongs(rs.getBytes(2))) {
            if (itemIds.contains(id)) {
              touched.add(rs.getLong(1));
              break;
            }
          }
        }
      }
    }
    for (long blockNo : touched) {
      rewriteWithout(c, modelId, blockNo, itemIds, words);
    }
  }

  /** Rewrites one block without the codes of {@code itemIds} (deletes it when none is left). */
  private static void rewriteWithout(
      Connection c, long modelId, long blockNo, Set<Long> itemIds, int words) throws SQLException {
    long[] ids;
    long[] codes;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT item_ids, codes FROM code_blocks WHERE model_id = ? AND block_no = ?")) {
      st.setLong(1, modelId);
      st.setLong(2, blockNo);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        ids = Blobs.toLongs(rs.getBytes(1));
        codes = Blobs.toLongs(rs.getBytes(2));
      }
    }
    long[] keptIds = new long[ids.length];
    long[] keptCodes = new long[codes.length];
    int keep = 0;
    for (int i = 0; i < ids.length; i++) {
      if (!itemIds.contains(ids[i])) {
        keptIds[keep] = ids[i];
        System.arraycopy(codes, i * words, keptCodes, keep * words, words);
        keep++;
      }
    }
    if (keep == 0) {
      try (PreparedStatement delete =
          c.prepareStatement("DELETE FROM code_blocks WHERE model_id = ? AND block_no = ?")) {
        delete.setLong(1, modelId);
        delete.setLong(2, blockNo);
        delete.executeUpdate();
      }
      return;
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE code_blocks SET count = ?, item_ids = ?, codes = ?"
                + " WHERE model_id = ? AND block_no = ?")) {
      update.setInt(1, keep);
      update.setBytes(2, Blobs.ofLongs(keptIds, 0, keep));
      update.setBytes(3, Blobs.ofLongs(keptCodes, 0, keep * words));
      update.setLong(4, modelId);
      update.setLong(5, blockNo);
      update.executeUpdate();
    }
  }

  /** Fills the last block up to {@link #BLOCK_SIZE}, then adds new blocks. */
  static void appendBlocks(Connection c, long modelId, long[] itemIds, long[] codes, int words)
      throws SQLException {
    int from = 0;
    long lastBlock = -1;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT block_no, count, item_ids, codes FROM code_blocks WHERE model_id = ?"
                + " ORDER BY block_no DESC LIMIT 1")) {
      st.setLong(1, modelId);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          lastBlock = rs.getLong(1);
          int count = rs.getInt(2);
          int room = Math.min(BLOCK_SIZE - count, itemIds.length);
          if (room > 0) {
            long[] ids = Arrays.copyOf(Blobs.toLongs(rs.getBytes(3)), count + room);
            long[] blockCodes =
                Arrays.copyOf(Blobs.toLongs(rs.getBytes(4)), (count + room) * words);
            System.arraycopy(itemIds, 0, ids, count, room);
            System.arraycopy(codes, 0, blockCodes, count * words, room * words);
            try (PreparedStatement update =
                c.prepareStatement(
                    "UPDATE code_blocks SET count = ?, item_ids = ?, codes = ?"
                        + " WHERE model_id = ? AND block_no = ?")) {
              update.setInt(1, count + room);
              update.setBytes(2, Blobs.ofLongs(ids));
              update.setBytes(3, Blobs.ofLongs(blockCodes));
              update.setLong(4, modelId);
              update.setLong(5, lastBlock);
              update.executeUpdate();
            }
            from = room;
          }
        }
      }
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO code_blocks (model_id, block_no, count, item_ids, codes)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      while (from < itemIds.length) {
        int n = Math.min(BLOCK_SIZE, itemIds.length - from);
        insert.setLong(1, modelId);
        insert.setLong(2, ++lastBlock);
        insert.setInt(3, n);
        insert.setBytes(4, Blobs.ofLongs(itemIds, from, n));
        insert.setBytes(5, Blobs.ofLongs(codes, from * words, n * words));
        insert.executeUpdate();
        from += n;
      }
    }
  }
}
