package app.tessera.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CUDA runtime that cannot be used (here: its libraries are not libraries, and this machine may
 * have no NVIDIA driver either) leaves Tessera on the CPU, saying why in one line, with no stack
 * trace. Run as the user runs it, in a JVM of its own: the libtorch choice is made once a process.
 */
class GpuFallbackTest {
  @TempDir Path home;

  @Test
  void gpuStatusSaysCpuAndWhyInOneLine() throws Exception {
    Path lib = Files.createDirectories(home.resolve("gpu/libtorch-2.7.1-cu128/lib"));
    Files.writeString(lib.resolve("libtorch.so"), "not a shared library");
    Files.writeString(lib.resolveSibling("installed"), "archive=fake\n");

    Result result = tessera("gpu", "status");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("Training and encoding run on: CPU")
        .containsAnyOf("Why: no NVIDIA driver", "Why: the NVIDIA driver", "did not load")
        .contains("CUDA runtime: installed in " + lib);
    assertThat(result.err().stream().filter(l -> l.contains("GPU not used"))).hasSize(1);
    assertThat(result.err())
        .noneMatch(l -> l.contains("Exception") || l.contains("Error:"))
        .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("    at "));
  }

  @Test
  void withoutACudaRuntimeTheCpuIsUsedQuietly() throws Exception {
    Result result = tessera("gpu", "status");

    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("Training and encoding run on: CPU")
        .contains("Why: no CUDA runtime is installed (tessera gpu install adds one)")
        .contains("CUDA runtime: not installed");
    assertThat(result.err()).noneMatch(l -> l.contains("GPU not used"));
  }

  @Test
  void installAsksBeforeDownloadingAndDownloadsNothingWithoutAYes() throws Exception {
    Result result = tessera("gpu", "install");

    assertThat(result.exit()).isEqualTo(2); // a usage error: no consent given
    assertThat(result.out()).contains("download.pytorch.org").contains("Into: " + home);
    assertThat(result.err()).anyMatch(l -> l.contains("nothing downloaded") && l.contains("--yes"));
    assertThat(home.resolve("gpu")).doesNotExist();
  }

  record Result(int exit, String out, List<String> err) {}

  /** Runs Tessera's command line in a new JVM with its own data directory. */
  private Result tessera(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dtessera.home=" + home);
    command.add("-Dai.djl.offline=true");
    command.add("-Dai.djl.pytorch.num_threads=1");
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("app.tessera.app.Main");
    command.addAll(List.of(args));
    Path out = home.resolveSibling(home.getFileName() + ".out");
    Path err = home.resolveSibling(home.getFileName() + ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    process.getOutputStream().close(); // no terminal, nobody to answer a question
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readAllLines(err, StandardCharsets.UTF_8));
  }
}
