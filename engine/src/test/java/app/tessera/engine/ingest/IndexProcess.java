package app.tessera.engine.ingest;

import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.store.Catalog;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tessera index} as a bare process (crash-safety and permission tests): LIBRARY ROOT. Prints
 * the counts, then one {@code failed<TAB>path<TAB>reason} line per failure.
 */
public final class IndexProcess {
  private IndexProcess() {}

  /** The command line that runs this class on {@code library} and {@code root} in a new JVM. */
  static List<String> command(Path library, Path root) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true",
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        IndexProcess.class.getName(),
        library.toString(),
        root.toString());
  }

  public static void main(String[] args) throws Exception {
    try (Catalog catalog = Catalog.open(Path.of(args[0]))) {
      IndexReport report =
          // Small transactions: many commits for the crash test to kill the process between.
          new Indexer(catalog, IngestOptions.defaults().withThreads(1).withBatch(32))
              .index(List.of(Path.of(args[1])), IndexListener.NONE);
      System.out.println(
          "added "
              + report.added()
              + " unchanged "
              + report.unchanged()
              + " missing "
              + report.missing());
      for (IndexReport.Failure failure : report.failures()) {
        System.out.println("failed\t" + failure.path() + "\t" + failure.reason());
      }
    }
  }
}
