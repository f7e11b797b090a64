package app.tessera.engine.api;

import app.tessera.engine.eval.EvaluationReport;
import app.tessera.engine.eval.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;

/** The outcome of {@link Experiments#evaluate}: a table to print, JSON records and a report. */
public final class EvaluationResult {
  private final EvaluationReport report;

  EvaluationResult(EvaluationReport report) {
    this.report = report;
  }

  /** The results as a Markdown table (mAP per method, code length and direction). */
  public String markdown() {
    return ReportWriter.markdown(report);
  }

  /** Writes one JSON record per (method, bits, direction) to {@code file}. */
  public void writeJson(Path file) throws IOException {
    report.writeJson(file);
  }

  /** Writes report.md with precision-recall and P@K charts into {@code dir}; returns the file. */
  public Path writeReport(Path dir) throws IOException {
    return ReportWriter.write(report, dir);
  }
}
