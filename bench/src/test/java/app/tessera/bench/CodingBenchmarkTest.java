package app.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.AppDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera bench coding} on a small library: each new image is the only item coded. */
class CodingBenchmarkTest {
  @TempDir Path home;

  @BeforeEach
  void isolate() {
    System.setProperty(AppDirs.HOME_PROPERTY, home.toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(AppDirs.HOME_PROPERTY);
  }

  @Test
  @SuppressWarnings("unchecked")
  void codesEveryItemOnceThenOnlyTheNewImage() throws Exception {
    List<String> log = new ArrayList<>();
    Map<String, Object> result =
        new CodingBenchmark(new CodingBenchmark.Config(300, 2, 1), log::add).run();

    assertThat(result).containsEntry("items", 300).containsEntry("first_coding_items_coded", 300);
    Map<String, Object> added = (Map<String, Object>) result.get("add_one_image");
    assertThat((List<Integer>) added.get("items_coded_each_round")).containsExactly(1, 1);
    assertThat((List<Integer>) added.get("images_encoded_each_round")).containsExactly(1, 1);
    assertThat(added).containsEntry("live_search_images_after", 302L);
  }
}
