package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Hashes;
import app.tessera.engine.download.ModelPack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packs as a window lists and downloads them, against a pack pinned to local files: size and pins
 * before, bytes while it arrives, cancel and resume.
 */
class ModelPacksTest {
  @TempDir Path dir;

  private ModelPacks packs() throws Exception {
    byte[] weights = new byte[3 << 20];
    new Random(3).nextBytes(weights);
    Path mirror = Files.createDirectories(dir.resolve("mirror"));
    Path file = Files.write(mirror.resolve("weights.bin"), weights);
    ModelPack pack =
        new ModelPack(
            "fixture",
            "a test pack",
            "MIT",
            List.of(
                new ModelPack.File(
                    "weights.bin", file.toUri().toString(), Hashes.sha256(file), weights.length)));
    return ModelPacks.of(List.of(pack), dir.resolve("models"));
  }

  @Test
  void listsSizeAndPinsThenDownloadsWithByteProgress() throws Exception {
    ModelPacks packs = packs();
    ModelPacks.Pack before = packs.find("fixture");
    assertThat(before.installed()).isFalse();
    assertThat(before.state()).isEqualTo("not installed");
    assertThat(before.bytes()).isEqualTo(3 << 20);
    assertThat(before.files()).singleElement().satisfies(f -> assertThat(f.sha256()).hasSize(64));

    List<Long> arrived = new CopyOnWriteArrayList<>();
    List<String> lines = new CopyOnWriteArrayList<>();
    Path installed =
        packs.download(
            "fixture", lines::add, (file, done, total) -> arrived.add(done), new Cancellation());

    assertThat(installed.resolve("weights.bin")).exists();
    assertThat(arrived).isSorted().last().isEqualTo((long) (3 << 20));
    assertThat(arrived.size()).isGreaterThan(2);
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("verified (SHA-256"));
    assertThat(packs.find("fixture").installed()).isTrue();
  }

  @Test
  void aCancelledDownloadKeepsWhatArrivedAndTheNextOneResumes() throws Exception {
    ModelPacks packs = packs();
    Cancellation cancel = new Cancellation();
    assertThatThrownBy(
            () ->
                packs.download(
                    "fixture",
                    line -> {},
                    (file, done, total) -> {
                      if (done >= 1 << 20) {
                        cancel.cancel();
                      }
                    },
                    cancel))
        .isInstanceOf(CancellationException.class);
    Path part = dir.resolve("models/fixture/weights.bin.part");
    assertThat(part).exists();
    assertThat(packs.find("fixture").installed()).isFalse();

    List<Long> arrived = new CopyOnWriteArrayList<>();
    packs.download(
        "fixture", line -> {}, (f, done, total) -> arrived.add(done), new Cancellation());
    assertThat(arrived.getFirst()).isGreaterThan(1 << 20); // resumed, not started over
    assertThat(packs.find("fixture").installed()).isTrue();
  }
}
