package app.tessera.engine.eval;

import app.tessera.engine.metrics.RetrievalMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of an {@link Evaluation}: one {@link EvalRecord} per (method, bits, direction), the
 * float-cosine ceiling and chance per direction, and the context needed to read them.
 */
public record EvaluationReport(
    String dataset,
    String encoders,
    int queries,
    int databaseSize,
    int trainingRows,
    int validationRows,
    EvalSettings settings,
    List<Reference> references,
    List<EvalRecord> records,
    double seconds) {

  public Reference reference(Direction direction) {
    return references.stream().filter(r -> r.direction() == direction).findFirst().orElseThrow();
  }

  /**
   * The records as a JSON array, one object per (method, bits, direction) with {@code method, bits,
   * direction, seeds, map_all, map_all_std, map_at_50, map_at_50_std, p_at_k, pr_by_radius,
   * float_cosine_map_all, float_cosine_map_at_50, chance_map_all, ties_broken, train_seconds,
   * epochs, dataset, encoders, queries, database}; {@code ties_broken} holds {@code map_all,
   * map_all_std, map_at_50, map_at_50_std, p_at_k} of the tie-broken ranking ({@link
   * EvalRecord#tiesBroken()}). NaN figures are written as null.
   */
  public ArrayNode toJson() {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    for (EvalRecord r : records) {
      ObjectNode o = array.addObject();
      o.put("method", r.method());
      o.put("bits", r.bits());
      o.put("direction", r.direction().code());
      o.put("seeds", r.mapAll().n());
      number(o, "map_all", r.mapAll().mean());
      number(o, "map_all_std", r.mapAll().std());
      number(o, "map_at_50", r.mapAt50().mean());
      number(o, "map_at_50_std", r.mapAt50().std());
      ObjectNode pAtK = o.putObject("p_at_k");
      for (int c = 0; c < r.cutoffs().length; c++) {
        number(pAtK, Integer.toString(r.cutoffs()[c]), r.precisionAtK()[c]);
      }
      ObjectNode pr = o.putObject("pr_by_radius");
      ArrayNode precision = pr.putArray("precision");
      ArrayNode recall = pr.putArray("recall");
      for (int radius = 0; radius < r.precisionByRadius().length; radius++) {
        add(precision, r.precisionByRadius()[radius]);
        add(recall, r.recallByRadius()[radius]);
      }
      Reference reference = reference(r.direction());
      RetrievalMetrics ceiling = reference.floatCosine();
      number(o, "float_cosine_map_all", ceiling == null ? Double.NaN : ceiling.mapAll());
      number(o, "float_cosine_map_at_50", ceiling == null ? Double.NaN : ceiling.mapAt(50));
      number(o, "chance_map_all", reference.chance().mapAll());
      ObjectNode ties = o.putObject("ties_broken");
      number(ties, "map_all", r.tiesBroken().mapAll().mean());
      number(ties, "map_all_std", r.tiesBroken().mapAll().std());
      number(ties, "map_at_50", r.tiesBroken().mapAt50().mean());
      number(ties, "map_at_50_std", r.tiesBroken().mapAt50().std());
      ObjectNode tiesPAtK = ties.putObject("p_at_k");
      for (int c = 0; c < r.cutoffs().length; c++) {
        number(tiesPAtK, Integer.toString(r.cutoffs()[c]), r.tiesBroken().precisionAtK()[c]);
      }
      number(o, "train_seconds", r.trainSeconds().mean());
      number(o, "epochs", r.epochs());
      o.put("dataset", dataset);
      o.put("encoders", encoders);
      o.put("queries", queries);
      o.put("database", databaseSize);
    }
    return array;
  }

  /** Writes {@link #toJson()} to {@code file}. */
  public void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), toJson());
  }

  private static void number(ObjectNode o, String name, double value) {
    if (Double.isNaN(value)) {
      o.putNull(name);
    } else {
      o.put(name, value);
    }
  }

  private static void add(ArrayNode a, double value) {
    if (Double.isNaN(value)) {
      a.addNull();
    } else {
      a.add(value);
    }
  }
}
