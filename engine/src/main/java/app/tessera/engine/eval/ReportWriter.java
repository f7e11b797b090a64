package app.tessera.engine.eval;

import app.tessera.engine.metrics.RetrievalMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes an {@link EvaluationReport} as {@code report.md} (mAP tables with the float ceiling and
 * chance) plus one precision-recall and one P@K chart (SVG) per method and direction.
 */
public final class ReportWriter {
  private ReportWriter() {}

  /** Writes the report into {@code dir} (created if needed); returns the Markdown file. */
  public static Path write(EvaluationReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> charts = new ArrayList<>();
    Set<String> methods = new LinkedHashSet<>();
    report.records().forEach(r -> methods.add(r.method()));
    for (String method : methods) {
      for (Direction direction : Direction.values()) {
        List<EvalRecord> rows =
            report.records().stream()
                .filter(r -> r.method().equals(method) && r.direction() == direction)
                .toList();
        String pr = "pr-" + method + "-" + direction.code() + ".svg";
        SvgPlot prPlot =
            new SvgPlot(
                method + " " + direction.title() + ": precision-recall by radius",
                "recall",
                "precision",
                false);
        for (EvalRecord r : rows) {
          prPlot.add(r.bits() + " bits", r.recallByRadius(), r.precisionByRadius(), false);
        }
        Files.writeString(dir.resolve(pr), prPlot.render(), StandardCharsets.UTF_8);
        String pk = "pk-" + method + "-" + direction.code() + ".svg";
        SvgPlot pkPlot =
            new SvgPlot(method + " " + direction.title() + ": precision@K", "K", "precision", true);
        double[] ks = rows.isEmpty() ? new double[0] : toDouble(rows.get(0).cutoffs());
        for (EvalRecord r : rows) {
          pkPlot.add(r.bits() + " bits", ks, r.precisionAtK(), false);
        }
        RetrievalMetrics ceiling = report.reference(direction).floatCosine();
        if (ceiling != null) {
          pkPlot.add("float cosine", toDouble(ceiling.cutoffs()), ceiling.precisionAtK(), true);
        }
        RetrievalMetrics chance = report.reference(direction).chance();
        pkPlot.add("chance", toDouble(chance.cutoffs()), chance.precisionAtK(), true);
        Files.writeString(dir.resolve(pk), pkPlot.render(), StandardCharsets.UTF_8);
        charts.add("![" + method + " " + direction.code() + " PR](" + pr + ")");
        charts.add("![" + method + " " + direction.code() + " P@K](" + pk + ")");
      }
    }
    Path markdown = dir.resolve("report.md");
    Files.writeString(markdown, markdown(report) + "\n" + String.join("\n", charts) + "\n");
    return markdown;
  }

  /** The Markdown tables alone (also used for model cards). */
  public static String markdown(EvaluationReport report) {
    EvalSettings s = report.settings();
    StringBuilder md = new StringBuilder();
    md.append("# Retrieval evaluation\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- Dataset: `%s` (%d queries, %d database rows; trained on %d rows, %d held out for"
                + " early stopping)\n- Features: `%s`\n- Seeds: %d (from %d), at most %s epochs,"
                + " device %s; total time %.0f s\n\n",
            report.dataset(),
            report.queries(),
            report.databaseSize(),
            report.trainingRows(),
            report.validationRows(),
            report.encoders(),
            s.seeds(),
            s.firstSeed(),
            s.epochs() == 0 ? "the method's default" : Integer.toString(s.epochs()),
            s.device().name().toLowerCase(Locale.ROOT),
            report.seconds()));
    md.append("mAP (Hamming ranking, ties by database order), mean ± std over seeds.\n\n");
    md.append(
        "| method | bits | i2t mAP@all | t2i mAP@all | i2t mAP@50 | t2i mAP@50 | train s/seed |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    List<EvalRecord> i2t =
        report.records().stream().filter(r -> r.direction() == Direction.I2T).toList();
    for (EvalRecord a : i2t) {
      EvalRecord b =
          report.records().stream()
              .filter(
                  r ->
                      r.direction() == Direction.T2I
                          && r.method().equals(a.method())
                          && r.bits() == a.bits())
              .findFirst()
              .orElseThrow();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %s | %s | %.1f |\n",
              a.method(),
              a.bits(),
              a.mapAll().format(),
              b.mapAll().format(),
              a.mapAt50().format(),
              b.mapAt50().format(),
              a.trainSeconds().mean()));
    }
    RetrievalMetrics ci = report.reference(Direction.I2T).floatCosine();
    RetrievalMetrics ct = report.reference(Direction.T2I).floatCosine();
    if (ci != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "| float cosine (no hashing) | – | %.4f | %.4f | %.4f | %.4f | – |\n",
              ci.mapAll(),
              ct.mapAll(),
              ci.mapAt(50),
              ct.mapAt(50)));
    } else {
      md.append("| float cosine (no hashing) | – | n/a | n/a | n/a | n/a | – |\n");
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| chance (random ranking) | – | %.4f | %.4f | – | – | – |\n",
            report.reference(Direction.I2T).chance().mapAll(),
            report.reference(Direction.T2I).chance().mapAll()));
    if (ci != null) {
      md.append("\nDistance from the float ceiling (mAP@all, codes − float cosine):\n\n");
      md.append("| method | bits | i2t | t2i |\n|---|---:|---:|---:|\n");
      for (EvalRecord a : i2t) {
        EvalRecord b =
            report.records().stream()
                .filter(
                    r ->
                        r.direction() == Direction.T2I
                            && r.method().equals(a.method())
                            && r.bits() == a.bits())
                .findFirst()
                .orElseThrow();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %+.4f | %+.4f |\n",
                a.method(),
                a.bits(),
                a.mapAll().mean() - ci.mapAll(),
                b.mapAll().mean() - ct.mapAll()));
      }
    }
    md.append(
        "\nHead of the ranking. *protocol*: Hamming, ties by database order (the figures above);"
            + " *ties broken*: the same codes, equal distances ordered as the query service does"
            + " (the query's real-valued outputs against each code, then feature cosine; `TieBreak`)."
            + " P@K means, mAP mean ± std over seeds.\n\n");
    md.append(
        "| method | bits | ranking | i2t P@1 | i2t P@10 | i2t mAP@50 | i2t mAP@all | t2i P@1 |"
            + " t2i P@10 | t2i mAP@50 | t2i mAP@all |\n");
    md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (EvalRecord a : i2t) {
      EvalRecord b = partner(report, a);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | protocol | %.3f | %.3f | %s | %s | %.3f | %.3f | %s | %s |\n",
              a.method(),
              a.bits(),
              a.precisionAt(1),
              a.precisionAt(10),
              a.mapAt50().format(),
              a.mapAll().format(),
              b.precisionAt(1),
              b.precisionAt(10),
              b.mapAt50().format(),
              b.mapAll().format()));
      EvalRecord.TiesBroken ta = a.tiesBroken();
      EvalRecord.TiesBroken tb = b.tiesBroken();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | ties broken | %.3f | %.3f | %s | %s | %.3f | %.3f | %s | %s |\n",
              a.method(),
              a.bits(),
              ta.precisionAtK()[a.cutoffIndex(1)],
              ta.precisionAtK()[a.cutoffIndex(10)],
              ta.mapAt50().format(),
              ta.mapAll().format(),
              tb.precisionAtK()[b.cutoffIndex(1)],
              tb.precisionAtK()[b.cutoffIndex(10)],
              tb.mapAt50().format(),
              tb.mapAll().format()));
    }
    md.append("\nP@K (mean over seeds):\n\n| method | bits | direction |");
    int[] cutoffs = report.records().isEmpty() ? new int[0] : report.records().get(0).cutoffs();
    for (int k : cutoffs) {
      md.append(" P@").append(k).append(" |");
    }
    md.append("\n|---|---:|---|").append("---:|".repeat(cutoffs.length)).append('\n');
    for (EvalRecord r : report.records()) {
      md.append("| ").append(r.method()).append(" | ").append(r.bits()).append(" | ");
      md.append(r.direction().code()).append(" |");
      for (double p : r.precisionAtK()) {
        md.append(String.format(Locale.ROOT, " %.3f |", p));
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** The t2i record of the same method and bits as the i2t record {@code a}. */
  private static EvalRecord partner(EvaluationReport report, EvalRecord a) {
    return report.records().stream()
        .filter(
            r ->
                r.direction() == Direction.T2I
                    && r.method().equals(a.method())
                    && r.bits() == a.bits())
        .findFirst()
        .orElseThrow();
  }

  private static double[] toDouble(int[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
