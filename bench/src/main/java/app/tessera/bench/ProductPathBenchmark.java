package app.tessera.bench;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.TesseraException;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.api.Search;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.metrics.RetrievalMetrics;
import app.tessera.engine.search.Query;
import app.tessera.engine.search.SearchHit;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Retrieval quality measured through the product path, as a person meets it: a library built from a
 * dataset folder's database rows with the real {@code index} (and {@code import-captions}) path,
 * coded with a model bundle, and the dataset's query rows run through the app's own search service
 * ({@link Search}), top {@value #TOP}. Relevance is the protocol's (a shared label, {@code
 * docs/methods.md} §3); P@1, P@10 and mAP@100 are computed on each query's returned list.
 *
 * <p>Two libraries: <b>images only</b> (the database images indexed) and <b>captioned</b> (the same
 * library after importing the rows' captions from a CSV). Libraries already in the work folder are
 * re-scanned (and the captions re-imported): nothing new, so their cached features serve the next
 * model, which codes every item. Directions: text→image and image→image on both, text→caption and
 * image→caption on the captioned one; on the captioned one each is run with captions matched (the
 * default) and with the target's codes alone ({@code --no-captions}). The dataset folder is only
 * read: its database images are copied into the work folder first (a library indexes whole folders,
 * and the query images must stay out of it).
 */
final class ProductPathBenchmark {
  static final int TOP = 100;
  private static final int[] CUTOFFS = {1, 10, TOP};

  record Config(Path dataset, Path bundle, Path work, int queries, Device device) {}

  private final Config config;
  private final Consumer<String> progress;

  ProductPathBenchmark(Config config, Consumer<String> progress) {
    this.config = config;
    this.progress = progress;
  }

  /** One measured direction. */
  record Row(
      String library,
      String direction,
      boolean captionsMatched,
      double p1,
      double p10,
      double map100,
      double p50Millis) {}

  Map<String, Object> run() throws IOException {
    Dataset dataset = Dataset.read(config.dataset());
    List<DatasetRow> database = dataset.databaseRows();
    List<DatasetRow> queries = dataset.queryRows();
    if (config.queries() > 0 && config.queries() < queries.size()) {
      queries = queries.subList(0, config.queries());
    }
    if (database.isEmpty() || queries.isEmpty() || !dataset.hasLabels()) {
      throw new IllegalArgumentException(
          config.dataset() + " needs labelled query and database rows");
    }
    Path images = config.work().resolve("images");
    Map<Path, Integer> rowOfFile = copyImages(dataset, database, images);
    Path csv = images.resolve("captions.csv");
    writeCaptions(csv, database, dataset.folder());
    Relevance relevance =
        Relevance.sharedLabel(dataset.labelMatrix(queries), dataset.labelMatrix(database));

    List<Row> rows = new ArrayList<>();
    Map<String, Object> libraries = new LinkedHashMap<>();
    try (ModelBundle bundle = ModelBundle.open(config.bundle(), config.device())) {
      Path imagesOnly = config.work().resolve("images-only.sqlite");
      Path captioned = config.work().resolve("captioned.sqlite");
      try (Library library = Library.open(imagesOnly)) {
        long start = System.nanoTime();
        requireIndexed(
            images,
            library.index(
                List.of(images), IndexSettings.defaults(), IndexListener.NONE, new Cancellation()));
        library.code(bundle, new Cancellation(), line -> {});
        libraries.put("images_only_build_seconds", seconds(start));
      }
      if (!Files.exists(captioned)) { // the images-only library, then its captions imported
        Files.copy(imagesOnly, captioned);
      }
      try (Library library = Library.open(captioned)) {
        long start = System.nanoTime();
        library.importCaptions(csv, false, IndexListener.NONE);
        library.code(bundle, new Cancellation(), line -> {});
        libraries.put("captions_build_seconds", seconds(start));
      }
      try (Library library = Library.openReadOnly(imagesOnly)) {
        Search search = library.search(bundle);
        libraries.put("images", search.imageCount());
        rows.add(measure(search, "images only", "t2i", true, queries, rowOfFile, relevance));
        rows.add(measure(search, "images only", "i2i", true, queries, rowOfFile, relevance));
      }
      try (Library library = Library.openReadOnly(captioned)) {
        Search search = library.search(bundle);
        libraries.put("captions", search.captionCount());
        for (String direction : List.of("t2i", "i2t", "t2t", "i2i")) {
          for (boolean matched : new boolean[] {true, false}) {
            rows.add(
                measure(search, "captioned", direction, matched, queries, rowOfFile, relevance));
          }
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("dataset", config.dataset().toString());
      result.put("model", bundle.manifest().name());
      result.put("bundle", config.bundle().toString());
      result.put("queries", queries.size());
      result.put("database_rows", database.size());
      result.put("top", TOP);
      result.put("libraries", libraries);
      result.put("rows", rows);
      progress.accept(table(rows, bundle.manifest().name()));
      return result;
    }
  }

  /**
   * Fails when the image copy gave the library nothing (e.g. a work folder inside Tessera's data
   * folder, which is never indexed): figures over an empty library would look like a bad model.
   */
  private static void requireIndexed(Path images, IndexReport report) {
    if (report.added() + report.updated() + report.moved() + report.unchanged() == 0) {
      throw new TesseraException(
          TesseraException.Kind.BAD_INPUT,
          images,
          "no image of "
              + images
              + " was indexed"
              + (report.failures().isEmpty() ? "" : ": " + report.failures().get(0).reason()));
    }
  }

  /** Runs every query of one direction and scores the returned lists. */
  private Row measure(
      Search search,
      String libraryName,
      String direction,
      boolean matchCaptions,
      List<DatasetRow> queries,
      Map<Path, Integer> rowOfFile,
      Relevance relevance) {
    boolean textQuery = direction.charAt(0) == 't';
    Query.Target target = direction.charAt(2) == 'i' ? Query.Target.IMAGES : Query.Target.CAPTIONS;
    int items = relevance.itemCount();
    int[][] orders = new int[queries.size()][];
    double[] millis = new double[queries.size()];
    for (int q = 0; q < queries.size(); q++) {
      DatasetRow row = queries.get(q);
      Query.Builder query = Query.builder().target(target).top(TOP).matchCaptions(matchCaptions);
      if (textQuery) {
        query.text(row.caption());
      } else {
        query.image(row.image(), 1);
      }
      var results = search.search(query.build());
      millis[q] = results.elapsed().toNanos() / 1e6;
      orders[q] = order(results.hits(), rowOfFile, items);
    }
    RetrievalMetrics m = RetrievalEvaluator.ranking(q -> orders[q], relevance, CUTOFFS);
    Arrays.sort(millis);
    Row row =
        new Row(
            libraryName,
            direction,
            matchCaptions,
            m.precisionAt(1),
            m.precisionAt(10),
            m.mapAt(TOP),
            millis[millis.length / 2]);
    progress.accept(
        String.format(
            Locale.ROOT,
            "%-12s %s captions %-3s P@1 %.3f  P@10 %.3f  mAP@100 %.3f  p50 %.1f ms",
            libraryName,
            direction,
            matchCaptions ? "on" : "off",
            row.p1(),
            row.p10(),
            row.map100(),
            row.p50Millis()));
    return row;
  }

  /**
   * The database rows in the order returned, then every row not returned (in row order), as the
   * evaluator wants a whole permutation: the scores up to {@value #TOP} depend on the returned list
   * only.
   */
  static int[] order(List<SearchHit> hits, Map<Path, Integer> rowOfFile, int items) {
    int[] order = new int[items];
    boolean[] placed = new boolean[items];
    int n = 0;
    for (SearchHit hit : hits) {
      Integer row = rowOfFile.get(hit.path().toAbsolutePath().normalize());
      if (row == null) {
        throw new IllegalStateException("a result outside the database rows: " + hit.path());
      }
      if (!placed[row]) {
        placed[row] = true;
        order[n++] = row;
      }
    }
    for (int row = 0; row < items; row++) {
      if (!placed[row]) {
        order[n++] = row;
      }
    }
    return order;
  }

  /** Copies the database images under {@code target}, keeping their relative paths. */
  private Map<Path, Integer> copyImages(Dataset dataset, List<DatasetRow> rows, Path target)
      throws IOException {
    Map<Path, Integer> rowOfFile = new HashMap<>();
    Path source = dataset.folder().toAbsolutePath().normalize();
    for (int i = 0; i < rows.size(); i++) {
      Path from = rows.get(i).image().toAbsolutePath().normalize();
      Path to = target.resolve(source.relativize(from).toString()).toAbsolutePath().normalize();
      Files.createDirectories(to.getParent());
      if (!Files.exists(to) || Files.size(to) != Files.size(from)) {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
      rowOfFile.put(to, i);
    }
    progress.accept(rows.size() + " database images under " + target);
    return rowOfFile;
  }

  /** The captions of the database rows as a CSV for {@code import-captions}. */
  private static void writeCaptions(Path csv, List<DatasetRow> rows, Path datasetFolder)
      throws IOException {
    Path source = datasetFolder.toAbsolutePath().normalize();
    try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("image,caption\n");
      for (DatasetRow row : rows) {
        String relative =
            source
                .relativize(row.image().toAbsolutePath().normalize())
                .toString()
                .replace('\\', '/');
        out.write(quote(relative) + "," + quote(row.caption()) + "\n");
      }
    }
  }

  private static String quote(String field) {
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  private static double seconds(long start) {
    return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
  }

  static String table(List<Row> rows, String model) {
    StringBuilder out = new StringBuilder();
    out.append("Product path, model ")
        .append(model)
        .append(" (top ")
        .append(TOP)
        .append(" through the app's search)\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%-12s  %-9s  %-8s  %6s  %6s  %8s  %8s%n",
            "library",
            "direction",
            "captions",
            "P@1",
            "P@10",
            "mAP@100",
            "p50 ms"));
    for (Row r : rows) {
      if (r.library().equals("images only") && !r.captionsMatched()) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%-12s  %-9s  %-8s  %6.3f  %6.3f  %8.3f  %8.1f%n",
              r.library(),
              r.direction(),
              r.library().equals("images only") ? "-" : r.captionsMatched() ? "matched" : "off",
              r.p1(),
              r.p10(),
              r.map100(),
              r.p50Millis()));
    }
    return out.toString();
  }
}
