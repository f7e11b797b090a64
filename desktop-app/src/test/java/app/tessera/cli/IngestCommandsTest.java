package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** tessera index / import-captions / prune through the command line (coding: SearchCommandTest). */
class IngestCommandsTest {
  @TempDir Path tmp;

  private String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = TesseraCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    int code = cli.execute(args);
    assertThat(code).as(String.join(" ", args) + "\n" + out).isIn(0, 1);
    return out.toString();
  }

  @Test
  void indexPrintsTheJsonReportAndImportAndPruneWork() throws Exception {
    Path photos = tmp.resolve("photos");
    Files.createDirectories(photos.resolve("a"));
    ImageIO.write(
        new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB),
        "png",
        photos.resolve("a/one.png").toFile());
    Files.writeString(photos.resolve("a/two.jpg"), "not a jpeg");
    Files.writeString(
        photos.resolve("captions.csv"),
        "image,caption,labels,split\na/one.png,a black box,dark,train\n");
    String library = tmp.resolve("lib.sqlite").toString();

    JsonNode first =
        new ObjectMapper()
            .readTree(run("index", photos.toString(), "--library", library, "--json", "--no-code"));
    assertThat(first.fieldNames())
        .toIterable()
        .containsExactly(
            "added",
            "updated",
            "moved",
            "unchanged",
            "missing",
            "offline",
            "failed",
            "failures",
            "seconds");
    assertThat(first.get("added").asInt()).isEqualTo(1);
    assertThat(first.get("failed").asInt()).isEqualTo(1);
    assertThat(first.get("failures").get(0).get("path").asText()).endsWith("two.jpg");
    assertThat(first.get("failures").get(0).get("reason").asText())
        .contains("not a supported image");

    JsonNode imported =
        new ObjectMapper()
            .readTree(
                run(
                    "import-captions",
                    photos.resolve("captions.csv").toString(),
                    "--library",
                    library,
                    "--json",
                    "--no-code"));
    assertThat(imported.get("captionsAdded").asInt()).isEqualTo(1);
    assertThat(imported.get("labelsAdded").asInt()).isEqualTo(1);

    Files.delete(photos.resolve("a/one.png"));
    JsonNode second =
        new ObjectMapper().readTree(run("index", "--library", library, "--json", "--no-code"));
    assertThat(second.get("missing").asInt()).isEqualTo(1);
    assertThat(run("prune", "--library", library)).contains("pruned 1 missing files and 2 items");
  }
}
