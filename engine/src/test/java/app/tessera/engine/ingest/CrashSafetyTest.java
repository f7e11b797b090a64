package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.store.Catalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs an indexing process at random moments, re-runs it, and checks that the catalogue ends
 * healthy and identical to an uninterrupted run: nothing duplicated, nothing lost.
 */
class CrashSafetyTest {
  private static final long SEED = 0xC0FFEEL;
  private static final int KILLS = 12;

  @TempDir Path tmp;

  @Test
  void killedRunsResumeToTheSameCatalogue() throws Exception {
    Random random = new Random(SEED);
    Path root = tmp.resolve("photos");
    int images = 400;
    for (int i = 0; i < images; i++) {
      Path dir = root.resolve("set" + (i % 6));
      TestImages.write(
          dir.resolve("p" + i + ".jpg"), TestImages.jpeg(TestImages.noise(40, 30, SEED + i)));
      if (i % 3 == 0) {
        Files.writeString(dir.resolve("p" + i + ".txt"), "caption " + i, StandardCharsets.UTF_8);
      }
    }
    TestImages.write(
        root.resolve("set0/copy.jpg"), Files.readAllBytes(root.resolve("set0/p0.jpg")));
    TestImages.write(root.resolve("set1/broken.jpg"), "junk".getBytes(StandardCharsets.US_ASCII));
    int total = images + 2;

    Path reference = tmp.resolve("reference.sqlite");
    try (Catalog catalog = Catalog.open(reference)) {
      Libraries.index(catalog, root);
    }

    // Odd runs die at a random moment after start (start-up, scan or the first batches); even
    // runs die a random moment after their first commit, i.e. in the middle of writing.
    Path killed = tmp.resolve("killed.sqlite");
    List<String> log = new ArrayList<>();
    int kills = 0;
    int partial = 0;
    int runs = 0;
    while (kills < KILLS && runs < 100) {
      runs++;
      long before = filesIn(killed);
      Process process = start(killed, root);
      String moment;
      if (runs % 2 == 1) {
        long delay = 100 + random.nextInt(1500);
        process.waitFor(delay, TimeUnit.MILLISECONDS);
        moment = delay + " ms after start";
      } else {
        while (process.isAlive() && filesIn(killed) == before) {
          Thread.sleep(20);
        }
        long delay = random.nextInt(200);
        process.waitFor(delay, TimeUnit.MILLISECONDS);
        moment = delay + " ms after its first commit";
      }
      if (!process.isAlive()) {
        // This round is complete before enough kills (a fast machine): check it, start afresh.
        log.add(
            "run "
                + runs
                + " finished before "
                + moment
                + "; new round: "
                + new String(process.getInputStream().readAllBytes())
                + " exit "
                + process.exitValue());
        verify(reference, killed, total, "seed " + SEED + ", " + log);
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
          Files.deleteIfExists(Path.of(killed + suffix));
        }
        continue;
      }
      process.destroyForcibly().waitFor();
      kills++;
      long files = filesIn(killed);
      if (files > before && files < total) {
        partial++;
      }
      log.add("run " + runs + " killed " + moment + ": " + before + " -> " + files + " files");
    }
    Process last = start(killed, root);
    assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("final run finishes").isTrue();
    assertThat(last.exitValue()).as(new String(last.getInputStream().readAllBytes())).isZero();

    String context = "seed " + SEED + ", " + log;
    System.out.println("CrashSafetyTest: " + context);
    assertThat(kills).as(context).isGreaterThanOrEqualTo(10);
    assertThat(partial).as(context).isGreaterThanOrEqualTo(5);
    verify(reference, killed, total, context);
  }

  private static void verify(Path reference, Path killed, int total, String context) {
    try (Catalog a = Catalog.open(reference);
        Catalog b = Catalog.open(killed)) {
      assertThat(b.integrityCheck()).as(context).isEqualTo("ok");
      assertThat(Libraries.canonicalDump(b)).as(context).isEqualTo(Libraries.canonicalDump(a));
      assertThat(Libraries.count(b, "SELECT count(*) FROM files")).isEqualTo(total);
    }
  }

  private static long filesIn(Path library) {
    if (!Files.exists(library)) {
      return 0;
    }
    try (Catalog catalog = Catalog.open(library)) {
      return Libraries.count(catalog, "SELECT count(*) FROM files");
    }
  }

  private static Process start(Path library, Path root) throws Exception {
    List<String> command = IndexProcess.command(library, root);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .start();
  }
}
