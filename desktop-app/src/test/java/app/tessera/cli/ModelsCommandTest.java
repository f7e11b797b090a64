package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.AppDirs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
    assertThat(out.toString()).contains("clip-vit-b32").contains("not installed");
  }

  @Test
  void refusesFilesThatAreNotThePinnedOnesAndInstallsNothing() throws IOException {
    Path usb = Files.createDirectories(home.resolve("usb"));
    for (String name : List.of("vision_model.onnx", "text_model.onnx", "tokenizer.json")) {
      Files.writeString(usb.resolve(name), "not the model");
    }
    assertThat(run("models", "download", "clip-vit-b32", "--from", usb.toString()))
        .as("files that are not the pinned ones are bad data, not a failing disk")
        .isEqualTo(ExitCode.DATA);
    assertThat(err.toString())
        .contains("Refusing vision_model.onnx of clip-vit-b32")
        .contains("fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40 is pinned")
        .contains("nothing was installed");
    Path installed = home.resolve("models/clip-vit-b32");
    try (Stream<Path> files = Files.list(installed)) {
      assertThat(files).isEmpty();
    }
    assertThat(run("models", "list")).isZero();
    assertThat(out.toString()).contains("clip-vit-b32").contains("not installed");
  }

  @Test
  void namesTheMissingFileOfAnIncompleteCopy() throws IOException {
    Path usb = Files.createDirectories(home.resolve("usb"));
    Files.writeString(usb.resolve("vision_model.onnx"), "x");
    assertThat(run("models", "download", "clip-vit-b32", "--from", usb.toString()))
        .isEqualTo(ExitCode.NO_INPUT);
    assertThat(err.toString()).contains("has no text_model.onnx");
    assertThat(home.resolve("models/clip-vit-b32")).doesNotExist();
  }

  @Test
  void namesTheKnownModelsForAnUnknownOne() {
    assertThat(run("models", "download", "resnet")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("Unknown model 'resnet'").contains("clip-vit-b32");
  }
}
