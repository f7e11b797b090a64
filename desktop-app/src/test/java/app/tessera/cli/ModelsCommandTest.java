package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.AppDirs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelsCommandTest {
  @TempDir Path home;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void isolate() {
    System.setProperty(AppDirs.HOME_PROPERTY, home.toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(AppDirs.HOME_PROPERTY);
  }

  private int run(String... args) {
    CommandLine cli = TesseraCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void listsClipAsNotDownloaded() {
    assertThat(run("models", "list")).isZero();
    assertThat(out.toString()).contains("clip-vit-b32").contains("not downloaded");
  }

  @Test
  void refusesToDownloadWithoutAVerifiedChecksumAndWritesNothing() {
    assertThat(run("models", "download", "clip-vit-b32")).isEqualTo(1);
    assertThat(err.toString()).contains("no verified SHA-256");
    assertThat(home.resolve("models/clip-vit-b32")).doesNotExist();
  }

  @Test
  void namesTheKnownModelsForAnUnknownOne() {
    assertThat(run("models", "download", "resnet")).isEqualTo(1);
    assertThat(err.toString()).contains("Unknown model 'resnet'").contains("clip-vit-b32");
  }
}
