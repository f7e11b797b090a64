package app.tessera.engine.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Hashes;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned download (as {@code tessera gpu install} uses it) against a file served on this
 * machine and a local {@code file:} URL: a right checksum, a wrong one, a truncated transfer, a
 * truncated copy, and resumes over HTTP ranges and from a local file.
 */
class ResumableDownloadTest {
  static final byte[] ARCHIVE = new byte[3 << 20];
  static final String NAME = "runtime.zip";

  static {
    new Random(7).nextBytes(ARCHIVE);
  }

  @TempDir Path dir;

  HttpServer server;

  /** Serve only this many bytes in the next response (a cut transfer, as a proxy may leave it). */
  volatile int cutAfter = -1;

  final List<String> ranges = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/" + NAME, this::respond);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** The whole file, or from a {@code Range: bytes=N-} on with 206, as a real server does. */
  private void respond(HttpExchange exchange) throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    ranges.add(String.valueOf(range));
    int start = 0;
    Matcher m = range == null ? null : Pattern.compile("bytes=(\\d+)-").matcher(range);
    if (m != null && m.matches()) {
      start = Integer.parseInt(m.group(1));
    }
    int end = cutAfter >= 0 ? Math.min(ARCHIVE.length, start + cutAfter) : ARCHIVE.length;
    cutAfter = -1;
    if (start > 0) {
      exchange
          .getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + ARCHIVE.length);
      exchange.sendResponseHeaders(206, end - start);
    } else {
      exchange.sendResponseHeaders(200, end - start);
    }
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(ARCHIVE, start, end - start);
    }
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + NAME;
  }

  private static ModelPack pack(String url, String sha256, long bytes) {
    return new ModelPack(
        "runtime-fixture", "test", "test", List.of(new ModelPack.File(NAME, url, sha256, bytes)));
  }

  private static ModelPack pinned(String url) {
    return pack(url, Hashes.sha256(ARCHIVE), ARCHIVE.length);
  }

  @Test
  void aFileWithTheRightChecksumIsInstalled() throws IOException {
    List<String> progress = new ArrayList<>();
    Path installed = ModelDownloader.download(pinned(url()), dir, progress::add);

    assertThat(installed.resolve(NAME)).hasBinaryContent(ARCHIVE);
    assertThat(installed.resolve(NAME + ".part")).doesNotExist();
    assertThat(progress).anyMatch(l -> l.startsWith(NAME + ": verified (SHA-256"));
  }

  @Test
  void aFileWithAnotherChecksumIsRefusedAndNothingStays() {
    String other = Hashes.sha256(new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ModelDownloader.download(pack(url(), other, 0), dir, l -> {}))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("Refusing " + NAME)
        .hasMessageContaining(other);
    assertThat(dir.resolve("runtime-fixture/" + NAME)).doesNotExist();
    assertThat(dir.resolve("runtime-fixture/" + NAME + ".part")).doesNotExist();
  }

  @Test
  void aTruncatedTransferIsKeptAndTheNextRunResumesItWithARange() throws IOException {
    cutAfter = 1 << 20;
    Path part = dir.resolve("runtime-fixture/" + NAME + ".part");
    assertThatThrownBy(() -> ModelDownloader.download(pinned(url()), dir, l -> {}))
        .isInstanceOf(IncompleteDownloadException.class)
        .hasMessageContaining("stopped after 1 MB of 3 MB");
    assertThat(part).hasSize(1 << 20);
    long kept = Files.size(part);

    List<String> progress = new ArrayList<>();
    Path installed = ModelDownloader.download(pinned(url()), dir, progress::add);

    assertThat(ranges).containsExactly("null", "bytes=" + kept + "-");
    assertThat(progress).anyMatch(l -> l.startsWith("  resuming after " + (kept >> 20) + " MB"));
    assertThat(installed.resolve(NAME)).hasBinaryContent(ARCHIVE);
    assertThat(part).doesNotExist();
  }

  @Test
  void aTruncatedLocalCopyIsRefusedAndNothingStays() throws IOException {
    Path mirror = Files.createDirectories(dir.resolve("drive"));
    Files.write(mirror.resolve(NAME), Arrays.copyOf(ARCHIVE, ARCHIVE.length / 3));
    Path models = dir.resolve("models");

    assertThatThrownBy(() -> ModelDownloader.installFrom(pinned(url()), models, mirror, l -> {}))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("Refusing " + NAME)
        .hasMessageContaining("nothing was installed");
    assertThat(models.resolve("runtime-fixture/" + NAME)).doesNotExist();
    assertThat(models.resolve("runtime-fixture/" + NAME + ".part")).doesNotExist();
  }

  @Test
  void anInterruptedCopyFromAFileUrlResumesWhereItStopped() throws IOException {
    Path source = dir.resolve("mirror/" + NAME);
    Files.createDirectories(source.getParent());
    Files.write(source, ARCHIVE);
    Path part = Files.createDirectories(dir.resolve("runtime-fixture")).resolve(NAME + ".part");
    Files.write(part, Arrays.copyOf(ARCHIVE, 2 << 20)); // what a killed earlier run left

    List<String> progress = new ArrayList<>();
    Path installed =
        ModelDownloader.download(pinned(source.toUri().toString()), dir, progress::add);

    assertThat(progress).contains("  resuming after 2 MB of 3 MB");
    assertThat(installed.resolve(NAME)).hasBinaryContent(ARCHIVE);
    assertThat(part).doesNotExist();
  }

  @Test
  void aPartialFileThatIsNotThisFilesBeginningFailsTheCheckAndIsDropped() throws IOException {
    Path part = Files.createDirectories(dir.resolve("runtime-fixture")).resolve(NAME + ".part");
    byte[] wrongStart = Arrays.copyOf(ARCHIVE, 1000);
    wrongStart[10] ^= 1;
    Files.write(part, wrongStart);

    assertThatThrownBy(() -> ModelDownloader.download(pinned(url()), dir, l -> {}))
        .isInstanceOf(ChecksumMismatchException.class);
    assertThat(part).doesNotExist();
    // ... so the next run starts afresh and succeeds.
    Path installed = ModelDownloader.download(pinned(url()), dir, l -> {});
    assertThat(installed.resolve(NAME)).hasBinaryContent(ARCHIVE);
  }
}
