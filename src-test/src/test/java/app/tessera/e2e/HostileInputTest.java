package app.tessera.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.cli.TesseraCommand;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite (issue 17): every command on libraries that are missing, empty, folders,
 * not databases, another program's database, damaged or read-only; malformed caption CSVs; absurd
 * query inputs; two jobs on one library; a disk that fills up during indexing. Each case asserts
 * the exit code, that a failure is one line on stderr (no stack trace), that a library that was
 * healthy still passes {@code PRAGMA integrity_check} (and one that was not is byte for byte as it
 * was), and that no file of the user's changed.
 *
 * <p>Cases run in this JVM through {@link TesseraCommand#run(PrintWriter, PrintWriter, String...)},
 * with {@code System.err} captured too (a logger's trace would show there); concurrency and the
 * full disk need processes of their own. With {@code -Dhostile.processes=true} every case runs as
 * its own {@code tessera} process. The cases, exit codes and messages are written to {@code
 * target/hostile-inputs.md} (the table in {@code docs/hostile-inputs.md}); {@code
 * -Dhostile.classpath=...} runs the processes on another build.
 */
class HostileInputTest {
  /** The one line the JVM prints before Tessera runs (decision 0001); not Tessera's to drop. */
  private static final String JVM_WARNING =
      "WARNING: Using incubator modules: jdk.incubator.vector";

  private static final boolean PROCESSES = Boolean.getBoolean("hostile.processes");

  @TempDir static Path dir;
  static Path photos;
  static Path csv;
  static Path good;
  static Map<String, String> userFiles;
  static final List<String> table = new ArrayList<>();

  record Result(int exit, String out, List<String> err) {
    /**
     * The message a person reads: the error line; else the report's line with the failure count
     * (and its first failed row), or the last line (a search's summary).
     */
    String message() {
      if (!err.isEmpty()) {
        return err.getFirst();
      }
      List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
      return lines.stream()
          .filter(l -> l.contains(" failed"))
          .findFirst()
          .map(
              summary ->
                  summary
                      + lines.stream()
                          .filter(l -> l.startsWith("  failed: "))
                          .findFirst()
                          .map(l -> " / " + l.strip())
                          .orElse(""))
          .orElse(lines.isEmpty() ? "" : lines.getLast());
    }
  }

  /** What a library file is before a command runs on it. */
  enum State {
    MISSING("missing"),
    ZERO_BYTES("zero-byte file"),
    FOLDER("a folder"),
    NOT_A_DATABASE("not a database"),
    OTHER_DATABASE("another program's SQLite database"),
    DAMAGED("damaged page in table files"),
    DAMAGED_LABELS("damaged page in table labels"),
    READ_ONLY("read-only file (r--r--r--)");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  @BeforeAll
  static void fixture() throws Exception {
    photos = Files.createDirectories(dir.resolve("photos"));
    StringBuilder rows = new StringBuilder("image,caption,labels\n");
    for (int i = 0; i < 6; i++) {
      ImageIO.write(noise(32, 32, i), "png", photos.resolve("p" + i + ".png").toFile());
      rows.append("p").append(i).append(".png,a photo number ").append(i).append(",l");
      rows.append(i % 2).append('\n');
    }
    csv = Files.writeString(photos.resolve("captions.csv"), rows);
    good = dir.resolve("good/library.sqlite");
    assertThat(run("index", photos.toString(), "--library", good.toString()).exit()).isZero();
    assertThat(run("import-captions", csv.toString(), "--library", good.toString()).exit())
        .isZero();
    userFiles = hashes(photos);
  }

  @AfterAll
  static void writeTable() throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(
          target.resolve("hostile-inputs.md"),
          "| case | command | exit | stderr lines | message (stderr; else the report's line) |\n"
              + "|---|---|---|---|---|\n"
              + String.join("\n", table)
              + "\n");
    }
  }

  // ---- every command on every kind of library file ----

  @TestFactory
  Stream<DynamicTest> everyCommandOnEveryKindOfLibraryFile() {
    List<DynamicTest> tests = new ArrayList<>();
    for (State state : State.values()) {
      for (String command : List.of("index", "search", "import-captions", "prune", "check")) {
        tests.add(
            DynamicTest.dynamicTest(
                command + " on " + state.label, () -> libraryCase(state, command)));
      }
      tests.add(
          DynamicTest.dynamicTest("train on " + state.label, () -> libraryCase(state, "train")));
    }
    return tests.stream();
  }

  private void libraryCase(State state, String command) throws Exception {
    Path lib = library(state, command);
    String before = Files.isRegularFile(lib) ? sha256(lib) : null;
    List<String> args =
        new ArrayList<>(
            switch (command) {
              case "index" -> List.of("index", photos.toString());
              case "search" -> List.of("search", "--text", "a photo");
              case "import-captions" -> List.of("import-captions", csv.toString());
              case "train" ->
                  List.of("train", "--method", "contrastive", "--bits", "16", "--epochs", "1");
              default -> List.of(command);
            });
    args.addAll(List.of("--library", lib.toString()));
    Result r = run(args.toArray(String[]::new));
    int expected = expectedExit(state, command);
    record(state.label, args, r);
    assertCase(r, expected, args);
    switch (state) {
      case MISSING, ZERO_BYTES -> {
        if (expected == 0) { // a new library was made
          assertHealthy(lib);
        } else {
          assertThat(Files.exists(lib) ? Files.size(lib) : 0L).isZero();
        }
      }
      case FOLDER -> assertThat(lib).isEmptyDirectory();
      case NOT_A_DATABASE, OTHER_DATABASE, DAMAGED, DAMAGED_LABELS ->
          assertThat(sha256(lib)).isEqualTo(before);
      case READ_ONLY -> {
        assertThat(sha256(lib)).isEqualTo(before);
        assertHealthy(lib);
      }
    }
  }

  /** The exit code each command gives on each kind of library file (README, "Exit codes"). */
  private static int expectedExit(State state, String command) {
    boolean creates = command.equals("index") || command.equals("import-captions");
    return switch (state) {
      case MISSING -> creates ? 0 : 66;
      case ZERO_BYTES -> creates ? 0 : 65;
      case FOLDER, NOT_A_DATABASE, OTHER_DATABASE -> 65;
      // check lists the damage; the others refuse it, the writers before writing anything (the
      // labels case is the one where, before, index and prune wrote on and said "unchanged").
      case DAMAGED, DAMAGED_LABELS -> 65;
      case READ_ONLY -> command.equals("search") || command.equals("check") ? 0 : 73;
    };
  }

  private static Path library(State state, String command) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("libs/" + state.name() + "-" + command));
    Path lib = folder.resolve("library.sqlite");
    switch (state) {
      case MISSING -> {}
      case ZERO_BYTES -> Files.createFile(lib);
      case FOLDER -> Files.createDirectories(lib);
      case NOT_A_DATABASE -> Files.writeString(lib, "holiday notes\n".repeat(300));
      case OTHER_DATABASE -> {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lib);
            Statement st = c.createStatement()) {
          st.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
          st.execute("INSERT INTO notes (text) VALUES ('buy milk')");
        }
      }
      case DAMAGED -> {
        Files.copy(good, lib);
        damagePage(lib, "files");
      }
      case DAMAGED_LABELS -> {
        Files.copy(good, lib);
        damagePage(lib, "labels");
      }
      case READ_ONLY -> {
        Files.copy(good, lib);
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("r--r--r--"));
      }
    }
    return lib;
  }

  // ---- malformed caption CSVs ----

  @TestFactory
  Stream<DynamicTest> malformedCaptionCsvs() {
    byte[] invalidUtf8 = "image,caption\np0.png,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    return Stream.of(
        csvCase("bad header", "file,text\np0.png,a photo\n".getBytes(), 65, "no 'image' column"),
        csvCase(
            "broken quotes",
            "image,caption\np0.png,\"a photo\np1.png,another\n".getBytes(),
            65,
            "line"),
        csvCase("invalid UTF-8", invalidUtf8, 65, "not valid UTF-8"),
        csvCase(
            "BOM",
            ("\uFEFFimage,caption\np0.png,a photo with a BOM\n").getBytes(StandardCharsets.UTF_8),
            0,
            "0 failed"),
        csvCase(
            "CRLF line ends",
            "image,caption\r\np0.png,a photo with CRLF\r\n".getBytes(),
            0,
            "0 failed"),
        csvCase(
            "huge field (100,000 characters)",
            ("image,caption\np0.png," + "x".repeat(100_000) + "\n").getBytes(),
            1,
            "caption of 100,000 characters, over the limit"),
        csvCase(
            "path outside the CSV's folder",
            "image,caption\n../outside.png,escaping\n/etc/hostname,absolute\n".getBytes(),
            1,
            "outside the CSV's folder"),
        csvCase("zero-byte CSV", new byte[0], 65, "is empty: nothing to import"));
  }

  private DynamicTest csvCase(String name, byte[] content, int exit, String says) {
    return DynamicTest.dynamicTest(
        name,
        () -> {
          Path folder = Files.createDirectories(dir.resolve("csv/" + name.replaceAll("\\W", "_")));
          Path lib = Files.copy(good, folder.resolve("library.sqlite"));
          // The CSV sits with the photos, so that its rows name real images.
          Path file = photos.resolve("hostile-" + name.replaceAll("\\W", "_") + ".csv");
          Files.write(file, content);
          Map<String, String> mine = hashes(photos);
          try {
            List<String> args =
                List.of("import-captions", file.toString(), "--library", lib.toString());
            Result r = run(args.toArray(String[]::new));
            record("CSV: " + name, args, r);
            assertCase(r, exit, args);
            assertThat(r.message()).contains(says);
            assertHealthy(lib);
            assertThat(hashes(photos)).isEqualTo(mine);
          } finally {
            Files.delete(file);
          }
        });
  }

  @Test
  void missingAndFolderCsvs() throws Exception {
    Path lib = Files.copy(good, Files.createDirectories(dir.resolve("csv-files")).resolve("l.db"));
    for (Object[] c :
        new Object[][] {
          {"missing CSV", photos.resolve("none.csv").toString(), 66, "no such file"},
          {"CSV is a folder", photos.toString(), 65, "is a folder"},
        }) {
      List<String> args = List.of("import-captions", (String) c[1], "--library", lib.toString());
      Result r = run(args.toArray(String[]::new));
      record("CSV: " + c[0], args, r);
      assertCase(r, (int) c[2], args);
      assertThat(r.message()).contains((String) c[3]);
    }
    assertHealthy(lib);
  }

  // ---- absurd inputs ----

  @TestFactory
  Stream<DynamicTest> absurdInputs() throws IOException {
    Path notAnImage = Files.writeString(dir.resolve("not-an-image.png"), "just text");
    String lib = good.toString();
    Object[][] cases = {
      {"--top 0", 2, "--top must be between 1 and", "search", "--text", "a", "--top", "0"},
      {"--top -1", 2, "--top must be between 1 and", "search", "--text", "a", "--top", "-1"},
      {
        "--top 10^9",
        2,
        "--top must be between 1 and",
        "search",
        "--text",
        "a",
        "--top",
        "1000000000"
      },
      {"--top 10^12", 2, "--top", "search", "--text", "a", "--top", "1000000000000"},
      {"--top abc", 2, "--top", "search", "--text", "a", "--top", "abc"},
      {
        "--rerank 10^9",
        2,
        "--rerank must be between",
        "search",
        "--text",
        "a",
        "--rerank",
        "1000000000"
      },
      {"--text \"\"", 2, "--text", "search", "--text", ""},
      {"--text \"   \"", 2, "--text", "search", "--text", "   "},
      {"--text \"-cat\"", 2, "--text", "search", "--text", "-cat"},
      {"--text of 100,000 characters", 0, "images of", "search", "--text", "cat ".repeat(25_000)},
      {"--image a folder", 65, "is a folder", "search", "--image", photos.toString()},
      {
        "--image missing",
        66,
        "no such file",
        "search",
        "--image",
        dir.resolve("none.png").toString()
      },
      {"--image not an image", 65, "not-an-image.png", "search", "--image", notAnImage.toString()},
      {"no --text or --image", 2, "Missing required", "search"},
      {"--target unknown", 2, "--target", "search", "--text", "a", "--target", "videos"},
      {
        "--model missing",
        66,
        "no such folder",
        "search",
        "--text",
        "a",
        "--model",
        dir.resolve("nomodel").toString()
      },
      {"unknown option", 2, "Unknown option", "search", "--text", "a", "--fast"},
      {"index a missing folder", 66, "no such folder", "index", dir.resolve("nowhere").toString()},
      {"index a file", 65, "is a file, not a folder", "index", csv.toString()},
      {
        "index --threads 0",
        2,
        "--threads must be between 1 and",
        "index",
        photos.toString(),
        "--threads",
        "0"
      },
      {
        "train --bits 17",
        2,
        "--bits must be a multiple of 16",
        "train",
        "--method",
        "contrastive",
        "--bits",
        "17"
      },
      {"train --bits 0", 2, "--bits must be", "train", "--method", "contrastive", "--bits", "0"},
      {
        "train --epochs -1",
        2,
        "--epochs must be between",
        "train",
        "--method",
        "contrastive",
        "--bits",
        "16",
        "--epochs",
        "-1"
      },
      {"train unknown method", 2, "unknown method", "train", "--method", "dcmh", "--bits", "16"},
      {
        "eval --seeds 0",
        2,
        "--seeds must be between",
        "eval",
        "--dataset",
        photos.toString(),
        "--method",
        "contrastive",
        "--seeds",
        "0"
      },
      {
        "--model not a model bundle",
        65,
        "is not a Tessera model bundle",
        "search",
        "--text",
        "a",
        "--model",
        photos.toString()
      },
      {
        "train --param nonsense",
        2,
        "--param",
        "train",
        "--method",
        "contrastive",
        "--bits",
        "16",
        "--param",
        "nonsense"
      },
      {"unknown command", 2, "Unmatched argument", "serch"},
    };
    return Arrays.stream(cases)
        .map(
            c ->
                DynamicTest.dynamicTest(
                    (String) c[0],
                    () -> {
                      List<String> args =
                          new ArrayList<>(
                              Arrays.stream(c, 3, c.length).map(String.class::cast).toList());
                      boolean takesLibrary =
                          List.of("search", "index", "train").contains(args.getFirst());
                      if (takesLibrary) {
                        // a copy: index on a good library must not change the fixture
                        Path copy =
                            dir.resolve("absurd/" + ((String) c[0]).replaceAll("\\W", "_") + ".db");
                        Files.createDirectories(copy.getParent());
                        Files.copy(good, copy);
                        args.addAll(List.of("--library", copy.toString()));
                      }
                      Result r = run(args.toArray(String[]::new));
                      record("absurd: " + c[0], args, r);
                      assertCase(r, (int) c[1], args);
                      assertThat(r.message()).contains((String) c[2]);
                      assertThat(hashes(photos)).isEqualTo(userFiles);
                    }));
  }

  // ---- two jobs on one library ----

  @Test
  void aSecondJobIsRefusedAtOnceWhileIndexRunsAndNothingIsSkipped() throws Exception {
    Path many = Files.createDirectories(dir.resolve("many"));
    int count = 300;
    for (int i = 0; i < count; i++) {
      ImageIO.write(noise(48, 48, 1000 + i), "png", many.resolve("m" + i + ".png").toFile());
    }
    Map<String, String> mine = hashes(many);
    Path lib = dir.resolve("busy/library.sqlite");
    Files.createDirectories(lib.getParent());
    Path lock = lib.resolveSibling("library.sqlite.lock");

    Process first =
        start(
            List.of(
                "index",
                many.toString(),
                "--library",
                lib.toString(),
                "--no-code",
                "--threads",
                "1"),
            null);
    String pid = "process " + first.pid();
    while (first.isAlive() && !(Files.exists(lock) && Files.readString(lock).contains(pid))) {
      Thread.sleep(5);
    }
    assertThat(first.isAlive()).as("the first index is still running").isTrue();
    signal(first, "STOP"); // holds the lock, mid-run, until continued
    try {
      List<String> index = List.of("index", many.toString(), "--library", lib.toString());
      Result second = run(true, index.toArray(String[]::new));
      record("two index processes on one library", index, second);
      assertCase(second, 75, index);
      assertThat(second.message()).contains("is being changed by indexing", pid);

      List<String> prune = List.of("prune", "--library", lib.toString());
      Result pruned = run(true, prune.toArray(String[]::new));
      record("prune while index runs", prune, pruned);
      assertCase(pruned, 75, prune);

      List<String> search = List.of("search", "--text", "a photo", "--library", lib.toString());
      Result found = run(true, search.toArray(String[]::new));
      record("search while index runs", search, found);
      assertCase(found, 0, search);
    } finally {
      signal(first, "CONT");
    }
    assertThat(first.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(first.exitValue()).as(output(first)).isZero();
    assertHealthy(lib);
    // Nothing skipped: the run that was paused added every file, so a new run finds them all.
    Result again = run(true, "index", many.toString(), "--library", lib.toString(), "--no-code");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("0 added", count + " unchanged", "0 failed");
    assertThat(hashes(many)).isEqualTo(mine);
  }

  // ---- the disk fills up during indexing ----

  @Test
  void aDiskThatFillsUpDuringIndexEndsTheRunWithOneLineAndAHealthyLibrary() throws Exception {
    Path big = Files.createDirectories(dir.resolve("big"));
    for (int i = 0; i < 40; i++) {
      ImageIO.write(noise(300, 300, 5000 + i), "png", big.resolve("b" + i + ".png").toFile());
    }
    Map<String, String> mine = hashes(big);
    Path small = Files.createDirectories(dir.resolve("small-disk"));
    boolean tmpfs = mountTmpfs(small, "2m");
    try {
      Path lib = small.resolve("library.sqlite");
      List<String> args =
          List.of("index", big.toString(), "--library", lib.toString(), "--no-code");
      // Without a tmpfs, a file size limit makes the same writes fail (EFBIG instead of ENOSPC).
      Result r = runProcess(args, tmpfs ? null : "ulimit -f 2048; ");
      record(
          tmpfs ? "disk full during index (2 MB tmpfs)" : "write failure during index (ulimit -f)",
          args,
          r);
      assertCase(r, 74, args);
      assertThat(r.message()).contains(tmpfs ? "is full: free some space and run again" : "failed");
      assertHealthy(lib);
      assertThat(hashes(big)).isEqualTo(mine);
    } finally {
      if (tmpfs) {
        new ProcessBuilder("umount", small.toString()).start().waitFor();
      }
    }
  }

  // ---- helpers ----

  private static void assertCase(Result r, int exit, List<String> args) {
    String context =
        String.join(" ", abbreviated(args)) + "\nout: " + r.out() + "\nerr: " + r.err();
    assertThat(r.exit()).as(context).isEqualTo(exit);
    assertThat(r.err())
        .as(context)
        .noneMatch(
            l -> l.startsWith("\tat ") || l.matches("\\s+at .*") || l.startsWith("Caused by"))
        .noneMatch(l -> l.matches(".*\\b\\w+(Exception|Error)\\b.*") && !l.startsWith("tessera"));
    if (exit != 0 && exit != 1) {
      assertThat(r.err()).as(context).hasSize(1);
      assertThat(r.err().getFirst()).as(context).matches("tessera( [a-z-]+)?: .+");
    }
  }

  private static void assertHealthy(Path lib) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + lib + "?mode=ro");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.getString(1)).as("integrity_check of " + lib).isEqualTo("ok");
    }
  }

  private static void record(String name, List<String> args, Result r) {
    String message = r.message().replace(dir.toString(), "…").replace("|", "\\|");
    String command =
        String.join(
                " ", abbreviated(args.stream().map(a -> a.replace(dir.toString(), "…")).toList()))
            .replace("|", "\\|");
    synchronized (table) {
      long frames = r.err().stream().filter(l -> l.matches("\\s+at .*")).count();
      table.add(
          String.join(
              " | ",
              "| " + name,
              "`tessera " + command + "`",
              Integer.toString(r.exit()),
              r.err().size() + (frames > 0 ? " (" + frames + " stack frames)" : ""),
              message + " |"));
    }
  }

  private static List<String> abbreviated(List<String> args) {
    return args.stream()
        .map(a -> a.length() > 40 ? a.substring(0, 12) + "…(" + a.length() + " chars)" : a)
        .map(a -> a.isBlank() ? "\"" + a + "\"" : a)
        .toList();
  }

  static Result run(String... args) throws Exception {
    return run(PROCESSES, args);
  }

  /** Runs {@code tessera args}: in this JVM, or as a process of its own. */
  static Result run(boolean process, String... args) throws Exception {
    if (process) {
      return runProcess(List.of(args), null);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stray = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    synchronized (HostileInputTest.class) {
      System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
      try {
        exit = TesseraCommand.run(new PrintWriter(out), new PrintWriter(err), args);
      } finally {
        System.setErr(original);
      }
    }
    List<String> errLines = new ArrayList<>(nonBlank(err.toString()));
    errLines.addAll(nonBlank(stray.toString(StandardCharsets.UTF_8)));
    return new Result(exit, out.toString(), errLines);
  }

  private static List<String> nonBlank(String text) {
    return text.lines().filter(l -> !l.isBlank()).filter(l -> !l.equals(JVM_WARNING)).toList();
  }

  private static Result runProcess(List<String> args, String shellPrefix) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = start(args, shellPrefix, out, err);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        nonBlank(Files.readString(err, StandardCharsets.UTF_8)));
  }

  private static Process start(List<String> args, String shellPrefix) throws IOException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    return start(args, shellPrefix, out, out);
  }

  /** {@code tessera args} in a JVM of its own, as the launcher starts it. */
  private static Process start(List<String> args, String shellPrefix, Path out, Path err)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--add-modules=jdk.incubator.vector",
            "-Dai.djl.offline=true",
            "-Dai.djl.onnx.disable_alternative=true",
            "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1",
            "-Dtessera.home=" + dir.resolve("home"),
            "-cp",
            // another build's classpath shows how it fared (e.g. before a fix)
            System.getProperty("hostile.classpath", System.getProperty("java.class.path")),
            "app.tessera.app.Main"));
    command.addAll(args);
    if (shellPrefix != null) { // e.g. a file size limit, then the same command
      List<String> inShell =
          new ArrayList<>(List.of("sh", "-c", shellPrefix + "exec \"$@\"", "sh"));
      inShell.addAll(command);
      command = inShell;
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }

  private static String output(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void signal(Process p, String signal) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor())
        .isZero();
  }

  /** Mounts a tmpfs of {@code size} on {@code folder} where this platform lets the test do so. */
  private static boolean mountTmpfs(Path folder, String size) {
    try {
      Process mount =
          new ProcessBuilder(
                  "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", folder.toString())
              .redirectErrorStream(true)
              .start();
      return mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static BufferedImage noise(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return image;
  }

  /** Overwrites the first page of {@code table}'s b-tree as a bad sector would. */
  private static void damagePage(Path file, String table) throws Exception {
    int pageSize;
    int root;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
        pageSize = rs.getInt(1);
      }
      try (ResultSet rs =
          st.executeQuery("SELECT rootpage FROM sqlite_schema WHERE name = '" + table + "'")) {
        root = rs.getInt(1);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    int offset = (root - 1) * pageSize;
    bytes[offset] = 0x07; // no such b-tree page type
    Arrays.fill(bytes, offset + 1, offset + 9, (byte) 0xFF);
    Files.write(file, bytes);
    Files.deleteIfExists(Path.of(file + "-wal"));
    Files.deleteIfExists(Path.of(file + "-shm"));
  }

  /** SHA-256 of every file under {@code folder}, by relative path. */
  static Map<String, String> hashes(Path folder) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(folder.relativize(f).toString(), sha256(f));
      }
    }
    return out;
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
