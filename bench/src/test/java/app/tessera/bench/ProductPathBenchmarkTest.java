package app.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.api.ShippedModels;
import app.tessera.engine.search.MatchReason;
import app.tessera.engine.search.SearchHit;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera bench product} on a small drawn dataset with the shipped default model. */
class ProductPathBenchmarkTest {
  @TempDir Path home;
  @TempDir Path data;
  @TempDir Path work;

  @BeforeEach
  void isolate() {
    System.setProperty(AppDirs.HOME_PROPERTY, home.toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(AppDirs.HOME_PROPERTY);
  }

  private static final String[][] SHAPES = {
    // caption, label
    {"a big red circle on white", "red"},
    {"a small red square", "red"},
    {"a blue triangle pointing up", "blue"},
    {"a dark blue bar across the middle", "blue"},
    {"a green ring around a dot", "green"},
    {"two green stripes", "green"},
  };

  /** Six database rows and three query rows whose captions repeat a database caption's words. */
  private Path dataset() throws Exception {
    Files.createDirectories(data.resolve("images"));
    StringBuilder manifest = new StringBuilder("id,image,caption,labels,split\n");
    Color[] colours = {Color.RED, Color.RED, Color.BLUE, Color.BLUE, Color.GREEN, Color.GREEN};
    for (int i = 0; i < SHAPES.length + 3; i++) {
      boolean query = i >= SHAPES.length;
      int shape = query ? 2 * (i - SHAPES.length) : i; // queries: rows 0, 2 and 4 again
      BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 48, 48);
      g.setColor(colours[shape]);
      g.fillOval(4 + i, 4 + 2 * i, 30 - i, 20 + i);
      g.dispose();
      String file = "images/" + i + ".png";
      ImageIO.write(image, "png", data.resolve(file).toFile());
      manifest
          .append(i)
          .append(',')
          .append(file)
          .append(",\"")
          .append(SHAPES[shape][0])
          .append("\",")
          .append(SHAPES[shape][1])
          .append(',')
          .append(query ? "query" : "database")
          .append('\n');
    }
    Files.writeString(data.resolve("manifest.csv"), manifest.toString());
    return data;
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.sorted().toList();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void measuresEveryDirectionOnBothLibrariesAndLeavesTheDatasetAlone() throws Exception {
    Path dataset = dataset();
    List<Path> before = files(dataset);
    List<String> log = new ArrayList<>();

    Map<String, Object> result =
        new ProductPathBenchmark(
                new ProductPathBenchmark.Config(
                    dataset, ShippedModels.defaultBundle(), work, 0, Device.CPU),
                log::add)
            .run();

    assertThat(files(dataset)).isEqualTo(before);
    assertThat(result).containsEntry("queries", 3).containsEntry("database_rows", 6);
    assertThat((Map<String, Object>) result.get("libraries"))
        .containsEntry("images", 6L)
        .containsEntry("captions", 6L);
    List<ProductPathBenchmark.Row> rows = (List<ProductPathBenchmark.Row>) result.get("rows");
    assertThat(rows)
        .extracting(r -> r.library() + " " + r.direction() + " " + r.captionsMatched())
        .containsExactly(
            "images only t2i true",
            "images only i2i true",
            "captioned t2i true",
            "captioned t2i false",
            "captioned i2t true",
            "captioned i2t false",
            "captioned t2t true",
            "captioned t2t false",
            "captioned i2i true",
            "captioned i2i false");
    for (ProductPathBenchmark.Row r : rows) {
      assertThat(List.of(r.p1(), r.p10(), r.map100()))
          .allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    }
    // Each query's caption is a database caption word for word: with captions matched, its words
    // and its code put a caption of the same label first.
    ProductPathBenchmark.Row t2t =
        rows.stream()
            .filter(r -> r.direction().equals("t2t") && r.captionsMatched())
            .findFirst()
            .orElseThrow();
    assertThat(t2t.p1()).isEqualTo(1.0);
    // P@10 over 6 items counts 6 places (the evaluator's min(K, items)), 2 of them relevant.
    assertThat(t2t.p10()).isCloseTo(2 / 6.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(log.getLast()).contains("captioned", "t2t", "P@10", "mAP@100");
  }

  @Test
  void aResultListBecomesAWholeRankingOfTheDatabaseRows() {
    Path a = Path.of("/lib/a.png").toAbsolutePath();
    Path b = Path.of("/lib/b.png").toAbsolutePath();
    Path c = Path.of("/lib/c.png").toAbsolutePath();
    Map<Path, Integer> rows = Map.of(a, 0, b, 1, c, 2);
    Set<MatchReason> image = Set.of(MatchReason.IMAGE);
    List<SearchHit> hits =
        List.of(
            new SearchHit(9, -1, c, null, 0, 1, image),
            new SearchHit(9, 3, c, "again", 0, 1, image),
            new SearchHit(7, -1, a, null, 1, 1, image));

    assertThat(ProductPathBenchmark.order(hits, rows, 4)).containsExactly(2, 0, 1, 3);
    assertThatThrownBy(
            () ->
                ProductPathBenchmark.order(
                    List.of(new SearchHit(1, -1, Path.of("/elsewhere.png"), null, 0, 1, image)),
                    rows,
                    3))
        .hasMessageContaining("outside the database rows");
  }
}
