package app.tessera.cli;

import app.tessera.engine.Cancellation;
import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.PathText;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.Library;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera import-captions FILE.csv}: captions, labels and attributes from a CSV file. */
@Command(
    name = "import-captions",
    mixinStandardHelpOptions = true,
    description = {
      "Import captions and labels from a CSV file with a header row: image (path relative to the"
          + " CSV), caption, labels (';'-separated). Other columns (e.g. split) are kept as item"
          + " attributes. UTF-8, with or without BOM. Importing twice adds nothing.",
      "Images not in the library yet are indexed first (the CSV's folder). Then the new images and"
          + " captions are coded with the library's active model, unless --no-code."
    })
public final class ImportCaptionsCommand implements Callable<Integer> {
  @Mixin LibraryOption library;

  @Parameters(paramLabel = "FILE.csv", description = "The CSV file.")
  Path csv;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(names = "--no-index", description = "Do not index images that are not in the library.")
  boolean noIndex;

  @Option(names = "--no-code", description = "Do not code the new items with the active model.")
  boolean noCode;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Library lib = Library.open(library.library())) {
      IndexListener listener =
          System.console() != null && !json
              ? new IndexCommand.ProgressBar(spec.commandLine().getErr())
              : IndexListener.NONE;
      CaptionImportReport r = lib.importCaptions(csv, !noIndex, listener);
      CodingReport coding = noCode ? null : IndexCommand.code(lib, new Cancellation(), line -> {});
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", r.rows());
        m.put("matched", r.matched());
        m.put("captionsAdded", r.captionsAdded());
        m.put("captionsPresent", r.captionsPresent());
        m.put("labelsAdded", r.labelsAdded());
        m.put("attributesSet", r.attributesSet());
        m.put("attributeConflicts", r.attributeConflicts());
        m.put("indexed", r.indexed() == null ? null : IndexCommand.toJson(r.indexed()));
        m.put("failed", r.failures().size());
        m.put("failures", r.failures());
        out.println(new ObjectMapper().writeValueAsString(m));
      } else {
        if (r.indexed() != null) {
          IndexReport i = r.indexed();
          out.printf(
              "indexed %s first: %d added, %d unchanged, %d failed%n",
              PathText.display(csv.toAbsolutePath().getParent()),
              i.added(),
              i.unchanged(),
              i.failed());
        }
        out.printf(
            "%d rows: %d matched an image; %d captions added (%d already there), %d labels added,"
                + " %d attribute values set%s; %d failed%n",
            r.rows(),
            r.matched(),
            r.captionsAdded(),
            r.captionsPresent(),
            r.labelsAdded(),
            r.attributesSet(),
            r.attributeConflicts() == 0
                ? ""
                : " ("
                    + r.attributeConflicts()
                    + " rows disagree on an identical image: first row kept)",
            r.failures().size());
        r.failures().stream()
            .limit(20)
            .forEach(f -> out.printf("  failed: %s: %s%n", f.path(), f.reason()));
        if (r.failures().size() > 20) {
          out.printf("  ... and %d more%n", r.failures().size() - 20);
        }
        if (coding != null) {
          IndexCommand.printCoding(coding, out);
        }
      }
      return r.failures().isEmpty() ? ExitCode.OK : ExitCode.PARTLY;
    }
  }
}
