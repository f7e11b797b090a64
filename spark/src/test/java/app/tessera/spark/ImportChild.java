package app.tessera.spark;

import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import java.nio.file.Path;
import java.util.List;

/**
 * The import the kill test runs in a child process: {@code import-codes} in batches of 4 files,
 * announcing each committed batch; after {@link #KILL_AFTER} files it waits to be killed, mid-way
 * through the archive.
 */
public final class ImportChild {
  static final String COMMITTED = "committed ";
  static final int KILL_AFTER = 8;

  private ImportChild() {}

  public static void main(String[] args) throws Exception {
    IndexListener listener =
        new IndexListener() {
          @Override
          public void progress(int done, int total) {
            System.out.println(COMMITTED + done);
            System.out.flush();
            if (done >= KILL_AFTER) {
              try {
                Thread.sleep(600_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    ImportCodes.run(List.of(args[0]), Path.of(args[1]), List.of(), 4, listener, new Cancellation());
  }
}
