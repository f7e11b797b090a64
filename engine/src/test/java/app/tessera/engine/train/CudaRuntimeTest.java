package app.tessera.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Hashes;
import app.tessera.engine.download.ChecksumMismatchException;
import app.tessera.engine.download.ModelPack;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA runtime: its install from a (small, fake) archive, and the choice of libtorch, which
 * falls back to the CPU with a one-line reason when the driver or the libraries fail.
 */
class CudaRuntimeTest {
  @TempDir Path dir;

  /** A stand-in for PyTorch's archive: the layout of libtorch/, with bytes that are no ELF. */
  private Path fakeArchive(Path folder) throws IOException {
    Path zip = Files.createDirectories(folder).resolve("libtorch-fake.zip");
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (String name :
          List.of(
              "libtorch/lib/libtorch.so",
              "libtorch/lib/libc10.so",
              "libtorch/lib/libcudart-9335f6a2.so.12",
              "libtorch/lib/libjitbackend_test.so",
              "libtorch/lib/libtorch.a",
              "libtorch/include/torch/torch.h",
              "libtorch/share/cmake/Torch/TorchConfig.cmake")) {
        out.putNextEntry(new ZipEntry(name));
        out.write(("not a library: " + name).getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return zip;
  }

  private static ModelPack packOf(Path archive) throws IOException {
    return new ModelPack(
        "libtorch-fake",
        "test",
        "test",
        List.of(
            new ModelPack.File(
                archive.getFileName().toString(),
                archive.toUri().toString(),
                Hashes.sha256(archive),
                Files.size(archive))));
  }

  @Test
  void installsOnlyTheLibrariesAndLinksTheCudaRuntimeForDjl() throws IOException {
    Path archive = fakeArchive(dir.resolve("drive"));
    Path data = dir.resolve("data");
    assertThat(CudaLibtorch.installed(data)).isFalse();

    Path lib = CudaLibtorch.install(packOf(archive), data, archive.getParent(), l -> {});

    assertThat(lib).isEqualTo(CudaLibtorch.libDir(data));
    try (var files = Files.list(lib)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "libtorch.so", "libc10.so", "libcudart-9335f6a2.so.12", "libcudart.so");
    }
    assertThat(Files.readSymbolicLink(lib.resolve("libcudart.so")))
        .isEqualTo(Path.of("libcudart-9335f6a2.so.12"));
    assertThat(CudaLibtorch.installed(data)).isTrue();
    // The 3 GB archive is not kept once unpacked.
    assertThat(CudaLibtorch.home(data).resolve("downloads/libtorch-fake/libtorch-fake.zip"))
        .doesNotExist();

    CudaLibtorch.remove(data);
    assertThat(CudaLibtorch.home(data)).doesNotExist();
    assertThat(CudaLibtorch.installed(data)).isFalse();
  }

  @Test
  void anArchiveWithAnotherChecksumInstallsNothing() throws IOException {
    Path archive = fakeArchive(dir.resolve("drive"));
    ModelPack pack = packOf(archive);
    byte[] changed = Files.readAllBytes(archive);
    changed[changed.length / 2] ^= 1;
    Files.write(archive, changed);
    Path data = dir.resolve("data");

    assertThatThrownBy(() -> CudaLibtorch.install(pack, data, archive.getParent(), l -> {}))
        .isInstanceOf(ChecksumMismatchException.class);
    assertThat(CudaLibtorch.installed(data)).isFalse();
    assertThat(CudaLibtorch.libDir(data)).doesNotExist();
  }

  @Test
  void aCudaLibraryThatFailsToLoadFallsBackToTheCpuWithOneLine() throws IOException {
    Path data = dir.resolve("data");
    Path archive = fakeArchive(dir.resolve("drive"));
    CudaLibtorch.install(packOf(archive), data, archive.getParent(), l -> {});
    String before = System.getProperty(TorchNatives.PYTORCH_LIBRARY_PATH);

    // A driver that answers (as on a GPU machine), so the library itself is what fails.
    TorchNatives.Choice choice =
        TorchNatives.choose(
            Map.of(), data, () -> new TorchNatives.Driver("Fake GPU, driver CUDA 12.8", null));

    assertThat(choice.cuda()).isFalse();
    assertThat(choice.fallback()).isTrue();
    assertThat(choice.summary()).isEqualTo("CPU");
    assertThat(choice.reason())
        .startsWith("the CUDA runtime in " + CudaLibtorch.libDir(data) + " did not load: ")
        .contains("libtorch.so")
        .doesNotContain("\n")
        .doesNotContain("Exception");
    // DJL is not pointed at the broken runtime: the CPU build loads as before.
    assertThat(System.getProperty(TorchNatives.PYTORCH_LIBRARY_PATH)).isEqualTo(before);
  }

  @Test
  void noDriverMeansTheCpuWithTheDriversReason() throws IOException {
    Path data = dir.resolve("data");
    Path archive = fakeArchive(dir.resolve("drive"));
    CudaLibtorch.install(packOf(archive), data, archive.getParent(), l -> {});

    TorchNatives.Choice choice =
        TorchNatives.choose(
            Map.of(),
            data,
            () -> TorchNatives.Driver.problem("no NVIDIA driver is installed (libcuda.so.1)"));

    assertThat(choice.cuda()).isFalse();
    assertThat(choice.fallback()).isTrue();
    assertThat(choice.reason()).isEqualTo("no NVIDIA driver is installed (libcuda.so.1)");
  }

  @Test
  void withoutACudaRuntimeTheCpuIsTheQuietDefaultAndTheDriverIsNotAsked() {
    TorchNatives.Choice choice =
        TorchNatives.choose(
            Map.of(),
            dir,
            () -> {
              throw new AssertionError("the driver is asked only when a runtime is installed");
            });

    assertThat(choice.cuda()).isFalse();
    assertThat(choice.fallback()).isFalse();
    assertThat(choice.reason()).contains("tessera gpu install");
  }

  @Test
  void aLibtorchTheUserPointsToIsUsedAsItIs() throws IOException {
    Path own = Files.createDirectories(dir.resolve("my-libtorch/lib"));
    Files.writeString(own.resolve(System.mapLibraryName("torch_cuda")), "x");

    TorchNatives.Choice choice =
        TorchNatives.choose(Map.of("PYTORCH_LIBRARY_PATH", own.toString()), dir, () -> null);

    assertThat(choice.cuda()).isTrue();
    assertThat(choice.libtorch()).isEqualTo(own.toString());
    assertThat(choice.reason()).contains("PYTORCH_LIBRARY_PATH");
  }

  @Test
  void theDriverProbeAnswersWithAGpuOrAReasonAndNeverThrows() {
    TorchNatives.Driver driver = TorchNatives.probeDriver();
    assertThat(driver.gpu() == null).isNotEqualTo(driver.problem() == null);
  }

  @Test
  void theCudaArchiveIsPinnedToPyTorchsOwnFile() {
    ModelPack.File archive = CudaLibtorch.PACK.files().getFirst();
    assertThat(archive.pinned()).isTrue();
    assertThat(archive.url())
        .isEqualTo(
            "https://download.pytorch.org/libtorch/cu128/"
                + "libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip");
    assertThat(archive.sha256())
        .isEqualTo("ae513b437ae99150744ef1d06b02a4ecbbb9275c9ffe540c88909623e3293041");
  }
}
