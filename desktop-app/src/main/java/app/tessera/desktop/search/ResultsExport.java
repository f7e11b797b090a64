package app.tessera.desktop.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the results on screen, exactly those rows in that order, as CSV (RFC 4180, UTF-8) or JSON
 * (chosen by the file's extension). Columns: rank, kind, score, distance, path, caption, item_id,
 * caption_id, why.
 */
public final class ResultsExport {
  static final List<String> COLUMNS =
      List.of(
          "rank", "kind", "score", "distance", "path", "caption", "item_id", "caption_id", "why");

  private ResultsExport() {}

  /** Whether {@code file} gets JSON (.json) rather than CSV. */
  public static boolean isJson(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** Writes {@code rows} to {@code file} (replacing it); returns how many rows were written. */
  public static int write(Path file, List<ResultCard> rows) throws IOException {
    List<Map<String, Object>> records = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      records.add(record(i + 1, rows.get(i)));
    }
    if (isJson(file)) {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(file.toFile(), records);
    } else {
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        out.write(String.join(",", COLUMNS));
        out.write("\r\n");
        for (Map<String, Object> r : records) {
          List<String> cells = new ArrayList<>();
          for (String column : COLUMNS) {
            cells.add(csv(r.get(column)));
          }
          out.write(String.join(",", cells));
          out.write("\r\n");
        }
      }
    }
    return rows.size();
  }

  private static Map<String, Object> record(int rank, ResultCard card) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rank", rank);
    r.put("kind", card.isCaption() ? "caption" : "image");
    r.put("score", Math.round(card.score() * 1e4) / 1e4);
    r.put("distance", card.distance());
    r.put("path", card.path() == null ? null : card.path().toString());
    r.put("caption", card.caption());
    r.put("item_id", card.itemId());
    r.put("caption_id", card.isCaption() ? card.captionId() : null);
    r.put("why", card.why());
    return r;
  }

  private static String csv(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
