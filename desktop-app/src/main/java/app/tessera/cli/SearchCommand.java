package app.tessera.cli;

import app.tessera.engine.Device;
import app.tessera.engine.PathText;
import app.tessera.engine.TesseraException;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.Search;
import app.tessera.engine.search.MatchReason;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchFilter;
import app.tessera.engine.search.SearchHit;
import app.tessera.engine.search.SearchResults;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tessera search}: ranks a library's images or captions for a text or an image. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search the library by text or by image; results are ranked by Hamming distance of the"
          + " model's binary codes (exact), equal distances ordered by the query's own hash"
          + " outputs and features; optionally re-ranked by float features.",
      "A text may exclude words with a minus: \"beach -people\". Text and image together make a"
          + " combined query.",
      "Searching never writes to the library (a read-only copy works); items the model has not"
          + " coded yet are left out and counted ('tessera index' codes them)."
    })
public final class SearchCommand implements Callable<Integer> {
  @Mixin LibraryOption library;

  @ArgGroup(exclusive = false, multiplicity = "1")
  Inputs inputs;

  static final class Inputs {
    @Option(names = "--text", paramLabel = "TEXT", description = "What to look for.")
    String text;

    @Option(
        names = "--image",
        paramLabel = "FILE",
        description = "An image to look for (read only).")
    Path image;
  }

  @Option(
      names = "--target",
      paramLabel = "images|captions",
      description = "What to return. Default: ${DEFAULT-VALUE}.")
  Query.Target target = Query.Target.IMAGES;

  int top;
  int rerank;
  int repeat;

  // Checked as they are parsed: a value out of range is a usage error that gives the range.
  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "10",
      description = "Number of results, 1 to 10000. Default: ${DEFAULT-VALUE}.")
  void top(int n) {
    top = Options.range(spec, "--top", n, 1, Query.MAX_TOP);
  }

  @Option(
      names = "--rerank",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Re-rank the best N codes (up to 10000) by cached float features (0: off). Default:"
              + " ${DEFAULT-VALUE}.")
  void rerank(int n) {
    rerank = Options.range(spec, "--rerank", n, 0, Query.MAX_RERANK);
  }

  @Option(
      names = "--insertion-ties",
      description =
          "Keep results at equal Hamming distance in insertion order (the evaluation protocol)"
              + " instead of ordering them by the query's hash outputs and features.")
  boolean insertionTies;

  @Option(
      names = "--no-captions",
      description =
          "Rank by the target's own codes only; by default a library's captions also match (their"
              + " words and their codes, fused with the images' codes) and each result says why.")
  boolean noCaptions;

  @Option(names = "--label", paramLabel = "LABEL", description = "Only items with this label.")
  String label;

  @Option(names = "--under", paramLabel = "DIR", description = "Only items under this folder.")
  Path under;

  @Option(names = "--path", paramLabel = "GLOB", description = "Only items whose path matches.")
  String glob;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "Model bundle (from 'tessera train --save DIR'). Default: the library's active model,"
              + " else the shipped one.")
  Path model;

  @Option(names = "--device", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
  Device device = Device.AUTO;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Run the query N times (1 to 1000) and report the median time (the first run includes"
              + " warm-up). Default: ${DEFAULT-VALUE}.")
  void repeat(int n) {
    repeat = Options.range(spec, "--repeat", n, 1, 1000);
  }

  @Option(names = "--json", description = "Print {\"results\":[...],\"millis\":...}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Query built = query();
    if (inputs.image != null) {
      Options.file("--image", inputs.image);
    }
    if (model != null) {
      Options.folder("--model", model);
    }
    try (Library lib = Library.openReadOnly(library.existing());
        ModelBundle bundle =
            ModelBundle.open(model != null ? model : lib.defaultBundleDir(), device)) {
      Search search = lib.search(bundle);
      if (search.uncodedImages() + search.uncodedCaptions() > 0) {
        err.printf(
            "%d images and %d captions are not coded with model %s yet and are left out"
                + " ('tessera index' codes them).%n",
            search.uncodedImages(), search.uncodedCaptions(), search.modelName());
        err.flush();
      }
      SearchResults results = search.search(built);
      double[] times = new double[Math.max(1, repeat)];
      times[0] = results.elapsed().toNanos() / 1e6;
      for (int i = 1; i < times.length; i++) {
        times[i] = search.search(built).elapsed().toNanos() / 1e6;
      }
      java.util.Arrays.sort(times);
      double millis = times[times.length / 2];
      if (json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SearchHit hit : results.hits()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("path", hit.path() == null ? null : PathText.display(hit.path()));
          // the exact file, whatever its name's bytes (the path shows bytes that are not UTF-8
          // as \xFF)
          row.put("uri", hit.path() == null ? null : hit.path().toUri().toString());
          row.put("caption", hit.caption());
          row.put("distance", hit.distance());
          row.put("score", hit.score());
          row.put("matched", reasons(hit));
          rows.add(row);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("results", rows);
        doc.put("millis", millis);
        out.println(new ObjectMapper().writeValueAsString(doc));
      } else {
        int rank = 1;
        for (SearchHit hit : results.hits()) {
          out.printf(
              Locale.ROOT,
              "%3d  d=%-3s %.3f  %-28s %s%s%n",
              rank++,
              hit.distance() < 0 ? "-" : Integer.toString(hit.distance()),
              hit.score(),
              "[" + String.join(", ", reasons(hit)) + "]",
              hit.path() == null ? null : PathText.display(hit.path()),
              hit.caption() == null ? "" : "  \"" + abbreviate(hit.caption()) + "\"");
        }
        out.printf(
            Locale.ROOT,
            "%d %s of %d in %.2f ms%s (model %s, %d bits)%n",
            results.hits().size(),
            target == Query.Target.IMAGES ? "images" : "captions",
            target == Query.Target.IMAGES ? search.imageCount() : search.captionCount(),
            millis,
            times.length > 1 ? " (median of " + times.length + " runs)" : "",
            search.modelName(),
            search.bits());
      }
      out.flush();
      return 0;
    }
  }

  /** Why a result matched, in words: caption words, caption meaning, image. */
  private static List<String> reasons(SearchHit hit) {
    return hit.reasons().stream().sorted().map(MatchReason::words).toList();
  }

  /** The query the options describe; a text with nothing to look for is a usage error. */
  private Query query() {
    Query.Builder query =
        Query.builder()
            .target(target)
            .top(top)
            .rerankTop(rerank)
            .breakTies(!insertionTies)
            .matchCaptions(!noCaptions);
    try {
      if (inputs.text != null) {
        query.text(inputs.text);
      }
      if (inputs.image != null) {
        query.image(inputs.image, 1);
      }
      if (label != null || under != null || glob != null) {
        query.filter(new SearchFilter(under, glob, null, null, label));
      }
      return query.build();
    } catch (TesseraException e) {
      throw new ParameterException(spec.commandLine(), "--text: " + e.getMessage());
    }
  }

  private static String abbreviate(String caption) {
    String line = caption.replaceAll("\\s+", " ").strip();
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
