package app.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code tessera bench ingest} on a tiny corpus: every measurement runs and reports its files. */
class IngestBenchmarkTest {
  @Test
  @SuppressWarnings("unchecked")
  void measuresEverySetAndLeavesNothingBehind() throws Exception {
    List<String> log = new ArrayList<>();
    Map<String, Object> result =
        new IngestBenchmark(new IngestBenchmark.Config(2, 400, 300, 30, 20, 200, 2, 7), log::add)
            .run();

    Map<String, Object> photos = (Map<String, Object>) result.get("jpeg_0mp");
    Map<String, Object> small = (Map<String, Object>) result.get("png_small");
    assertThat(photos).containsEntry("files", 2).containsEntry("warm_up_files", 2);
    assertThat(small)
        .containsEntry("files", 30)
        .containsEntry("warm_up_files", 20)
        .containsEntry("rounds", 7);
    assertThat((List<Double>) small.get("ingest_seconds_each_round")).hasSize(7);
    assertThat((double) small.get("ingest_vs_decode")).isPositive();
    assertThat((Map<String, Object>) result.get("rescan_unchanged")).containsEntry("files", 32);
    assertThat((Map<String, Object>) result.get("rescan_synthetic")).containsEntry("files", 200);
    assertThat(log).anyMatch(line -> line.startsWith("warm-up: 20 other files"));
    try (Stream<Path> left =
        Files.list(Path.of(System.getProperty("java.io.tmpdir")))
            .filter(p -> p.getFileName().toString().startsWith("tessera-bench-ingest"))) {
      assertThat(left).isEmpty();
    }
  }
}
