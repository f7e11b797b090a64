package app.tessera.engine.store;

import app.tessera.engine.PruneReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One unit of work on the catalogue ({@link Catalog#write} or {@link Catalog#read}): the
 * repositories of roots, files, images, captions, labels, codes and features, all on the same
 * connection, plus savepoints and pruning. Valid only inside the call that handed it out.
 */
public final class Transaction {
  private final Connection c;

  Transaction(Connection c) {
    this.c = c;
  }

  public RootRepository roots() {
    return new RootRepository(c);
  }

  public FileRepository files() {
    return new FileRepository(c);
  }

  public ImageRepository images() {
    return new ImageRepository(c);
  }

  public CaptionRepository captions() {
    return new CaptionRepository(c);
  }

  public LabelRepository labels() {
    return new LabelRepository(c);
  }

  public CodeRepository codes() {
    return new CodeRepository(c);
  }

  public FeatureRepository features() {
    return new FeatureRepository(c);
  }

  /**
   * Runs {@code work} under a savepoint: if it throws, everything it wrote is undone and the
   * exception propagates, while the enclosing transaction and what it wrote before stay. Lets one
   * bad outcome of a batch cost only itself.
   */
  public <T> T savepoint(Supplier<T> work) {
    Sql.run(
        () -> {
          Sql.execute(c, "SAVEPOINT work");
          return null;
        });
    T result;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      try {
        Sql.execute(c, "ROLLBACK TO work");
        Sql.execute(c, "RELEASE work");
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    Sql.run(
        () -> {
          Sql.execute(c, "RELEASE work");
          return null;
        });
    return result;
  }

  /**
   * Deletes the rows of missing files, then the image items no file links to any more (with their
   * captions, labels, thumbnails, features and codes). Offline files are kept.
   */
  public PruneReport prune() {
    return Sql.run(
        () -> {
          int files;
          try (PreparedStatement st =
              c.prepareStatement("DELETE FROM files WHERE presence = 'missing'")) {
            files = st.executeUpdate();
          }
          return new PruneReport(files, deleteOrphans());
        });
  }

  /**
   * Forgets a root folder: its file rows and the items no other file holds (as {@link #prune}
   * does). The folder's files themselves are never touched.
   */
  public PruneReport removeRoot(long rootId) {
    int files = roots().remove(rootId);
    return Sql.run(() -> new PruneReport(files, deleteOrphans()));
  }

  /** Deletes the image items no file links to (and their captions); returns how many items. */
  private int deleteOrphans() throws SQLException {
    List<Long> orphans;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT id FROM items i WHERE kind = 'image'"
                + " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.item_id = i.id)")) {
      orphans = Sql.longs(st);
    }
    Set<Long> doomed = new LinkedHashSet<>(orphans);
    try (PreparedStatement st =
        c.prepareStatement("SELECT item_id FROM captions WHERE image_id = ?")) {
      for (long id : orphans) {
        st.setLong(1, id);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            doomed.add(rs.getLong(1));
          }
        }
      }
    }
    return CaptionRepository.deleteItems(c, new ArrayList<>(doomed));
  }
}
