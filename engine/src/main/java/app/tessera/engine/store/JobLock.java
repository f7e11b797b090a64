package app.tessera.engine.store;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The library's job lock: one indexing, import, prune or coding job writes a library at a time,
 * across processes and within one. Two jobs that interleaved planned from the same snapshot and
 * then collided (duplicate rows, files skipped); SQLite's own locks serialise transactions, not
 * jobs. A second job is refused at once ({@link Kind#BUSY}) with who holds the lock; searches never
 * need it.
 *
 * <p>An operating-system lock on {@code <library>.lock} (released by the system when a process
 * dies, so never stale), which also holds a line saying who holds it. The file is left in place:
 * deleting a lock file races with the next job taking it. The same thread may take it again (e.g.
 * training codes first).
 */
public final class JobLock implements AutoCloseable {
  private static final Map<Path, JobLock> HELD = new ConcurrentHashMap<>();

  private final Path library;
  private final Thread owner = Thread.currentThread();
  private final String holder;
  private FileChannel channel;
  private FileLock lock;
  private int depth = 1;

  private JobLock(Path library, String holder) {
    this.library = library;
    this.holder = holder;
  }

  static JobLock acquire(Path library, String job) {
    String holder =
        job
            + " (process "
            + ProcessHandle.current().pid()
            + ", since "
            + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
            + ")";
    JobLock mine = new JobLock(library, holder);
    JobLock other = HELD.putIfAbsent(library, mine);
    if (other != null) {
      if (other.owner == Thread.currentThread()) {
        other.depth++;
        return other;
      }
      throw busy(library, other.holder);
    }
    try {
      mine.lockFile();
      return mine;
    } catch (RuntimeException e) {
      HELD.remove(library, mine);
      throw e;
    }
  }

  private void lockFile() {
    Path file = library.resolveSibling(library.getFileName() + ".lock");
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // another class loader of this JVM holds it
      }
      if (lock == null) {
        String who = read(channel);
        channel.close();
        throw busy(library, who.isBlank() ? "another Tessera" : who);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    } catch (IOException e) {
      closeQuietly();
      throw Problems.io(library, "cannot take the lock " + file + " of library " + library, e);
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(512);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
  }

  private static TesseraException busy(Path library, String who) {
    return new TesseraException(
        Kind.BUSY,
        library,
        "library "
            + library
            + " is being changed by "
            + who
            + ": try again when it has finished (searching works meanwhile)");
  }

  private void closeQuietly() {
    try {
      if (channel != null) {
        channel.close(); // releases the lock too
      }
    } catch (IOException ignored) {
      // nothing more to release
    }
  }

  @Override
  public void close() {
    if (--depth > 0) {
      return;
    }
    closeQuietly();
    HELD.remove(library, this);
  }
}
