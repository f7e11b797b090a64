package app.tessera.cli;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.PathText;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
      "Without PATH, every folder already in the library is re-scanned.",
      "Then what is new is coded with the library's active model (the shipped default until one is"
          + " chosen), so that search finds it; --no-code skips that."
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

  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Decoding threads, 1 to 256. Default: all cores.")
  void threads(int n) { // checked as it is parsed
    threads = Options.range(spec, "--threads", n, 1, 256);
  }

  @Option(
      names = "--no-code",
      description = "Only index: do not code the new items with the active model.")
  boolean noCode;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.exists(library.library())) {
      Library.requireFolders(paths, List.of()); // before a new library is made for nothing
    }
    try (Library lib = Library.open(library.library())) {
      Cancellation cancel = new Cancellation();
      // Ctrl-C: cancel, and give the run a few seconds to commit what it has done.
      CountDownLatch finished = new CountDownLatch(1);
      Thread cancelOnInterrupt =
          new Thread(
              () -> {
                cancel.cancel();
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
      try {
        IndexReport report =
            lib.index(paths, new IndexSettings(threads, labelsFromFolders), listener, cancel);
        if (json) {
          out.println(new ObjectMapper().writeValueAsString(toJson(report)));
        } else {
          printHuman(report, out, lib.file());
        }
        out.flush();
        if (!noCode && !cancel.isCancelled()) {
          try {
            CodingReport coding =
                code(lib, cancel, json ? line -> {} : line -> progress(err, line));
            progress(err, ""); // clears the progress line
            if (!json) {
              printCoding(coding, out);
            }
          } catch (IOException e) {
            err.println("tessera index: the new items could not be coded: " + e.getMessage());
            return ExitCode.IO;
          }
        }
        out.flush();
        if (report.cancelled() || cancel.isCancelled()) {
          return ExitCode.CANCELLED;
        }
        return report.failures().isEmpty() ? ExitCode.OK : ExitCode.PARTLY;
      } finally {
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is exiting (Ctrl-C): the hook has already cancelled the run
        }
      }
    }
  }

  /** Codes what the library's active model (or the shipped default) has not coded yet. */
  static CodingReport code(Library lib, Cancellation cancel, Consumer<String> progress)
      throws IOException {
    try (ModelBundle bundle = ModelBundle.open(lib.defaultBundleDir(), Device.AUTO)) {
      return lib.code(bundle, cancel, progress);
    }
  }

  static void printCoding(CodingReport coding, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "coded %d new items with model %s in %.1f s%s%n",
        coding.coded(),
        coding.model(),
        coding.seconds(),
        coding.remaining() > 0 ? " (" + coding.remaining() + " left: run again to finish)" : "");
  }

  private static void progress(PrintWriter err, String line) {
    if (System.console() != null) {
      err.print("\r\033[K" + line);
      err.flush();
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
    out.println(r.summary() + (r.cancelled() ? " (run again to finish)" : ""));
    for (IndexReport.Failure f : r.failures()) {
      out.printf("  failed: %s: %s%n", f.path(), f.reason());
    }
    out.printf("library: %s%n", PathText.display(library));
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
