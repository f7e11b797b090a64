package app.tessera.cli;

import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.ingest.Indexer;
import app.tessera.engine.ingest.IngestOptions;
import app.tessera.engine.store.Catalog;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera index PATH...}: adds folders to the library, or re-scans them. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Index folders of images into the library (recursively). New and changed files are decoded"
          + " once; unchanged files are skipped; moved files keep their captions, labels and codes.",
      "Files that vanished are marked missing (see 'tessera prune'); a folder that is absent (an"
          + " unplugged drive) is marked offline. Image files are only ever read.",
      "Without PATH, every folder already in the library is re-scanned."
    })
public final class IndexCommand implements Callable<Integer> {
  @Mixin LibraryOption library;

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "Folders to index.")
  List<Path> paths = List.of();

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--labels-from-folders",
      description = "Label each image with the name of the folder it is in.")
  boolean labelsFromFolders;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Decoding threads. Default: all cores (${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IngestOptions options =
        IngestOptions.defaults().withThreads(threads).withLabelsFromFolders(labelsFromFolders);
    try (Catalog catalog = Catalog.open(library.library())) {
      Indexer indexer = new Indexer(catalog, options);
      // Ctrl-C: cancel, and give the run a few seconds to commit what it has decoded.
      CountDownLatch finished = new CountDownLatch(1);
      Thread cancelOnInterrupt =
          new Thread(
              () -> {
                indexer.cancel();
                try {
                  finished.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "tessera-index-cancel");
      Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
      IndexListener listener =
          System.console() != null && !json ? new ProgressBar(err) : IndexListener.NONE;
      IndexReport report;
      try {
        report = indexer.index(paths, listener);
      } finally {
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is exiting (Ctrl-C): the hook has already cancelled the run
        }
      }
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(toJson(report)));
      } else {
        printHuman(report, out, catalog.file());
      }
      out.flush();
      return report.cancelled() ? 130 : 0;
    }
  }

  static Map<String, Object> toJson(IndexReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("added", r.added());
    m.put("updated", r.updated());
    m.put("moved", r.moved());
    m.put("unchanged", r.unchanged());
    m.put("missing", r.missing());
    m.put("offline", r.offline());
    m.put("failed", r.failed());
    m.put("failures", r.failures());
    m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
    if (r.cancelled()) {
      m.put("cancelled", true);
    }
    return m;
  }

  private static void printHuman(IndexReport r, PrintWriter out, Path library) {
    out.printf(
        "%d added, %d updated, %d moved, %d unchanged, %d missing, %d offline, %d failed"
            + " in %.1f s%s%n",
        r.added(),
        r.updated(),
        r.moved(),
        r.unchanged(),
        r.missing(),
        r.offline(),
        r.failed(),
        r.seconds(),
        r.cancelled() ? " (cancelled: run again to finish)" : "");
    for (IndexReport.Failure f : r.failures()) {
      out.printf("  failed: %s: %s%n", f.path(), f.reason());
    }
    out.printf("library: %s%n", library);
  }

  /** A one-line progress bar on the terminal (stderr), redrawn at most ten times a second. */
  static final class ProgressBar implements IndexListener {
    private final PrintWriter err;
    private String phase = "";
    private long lastDraw;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void phase(IndexListener.Phase phase, int total) {
      if (phase == IndexListener.Phase.DONE) {
        err.print("\r\033[K");
        err.flush();
        return;
      }
      this.phase = phase == IndexListener.Phase.SCANNING ? "scanning" : "indexing";
      draw(0, total, true);
    }

    @Override
    public void progress(int done, int total) {
      draw(done, total, done == total);
    }

    private void draw(int done, int total, boolean force) {
      long now = System.nanoTime();
      if (!force && now - lastDraw < 100_000_000L) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = total == 0 ? 0 : (int) ((long) done * width / total);
      err.printf(
          "\r\033[K%-8s [%s%s] %d/%d",
          phase, "#".repeat(filled), " ".repeat(width - filled), done, total);
      err.flush();
    }
  }
}
