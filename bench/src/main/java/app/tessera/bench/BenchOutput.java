package app.tessera.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** How the bench commands report: progress lines as they come, the results as JSON at the end. */
public final class BenchOutput {
  private BenchOutput() {}

  /** Prints each line at once (a run takes minutes). */
  public static Consumer<String> lines(PrintWriter out) {
    return line -> {
      out.println(line);
      out.flush();
    };
  }

  /** Prints {@code result} as indented JSON and, with {@code json}, writes it there too. */
  public static void results(Map<String, Object> result, PrintWriter out, Path json)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    out.println(mapper.writeValueAsString(result));
    if (json != null) {
      if (json.toAbsolutePath().getParent() != null) {
        Files.createDirectories(json.toAbsolutePath().getParent());
      }
      mapper.writeValue(json.toFile(), result);
    }
  }
}
