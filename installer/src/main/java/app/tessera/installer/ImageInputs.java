package app.tessera.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Prepares jpackage's input folder from the application's jars (a build step of {@code
 * -Pinstaller}; nothing here ships).
 *
 * <p>Two things make the image small and quick to start:
 *
 * <ul>
 *   <li>Only this platform's native libraries: the jars carry builds for every operating system and
 *       processor (OpenCV alone 280 MB of them); the others are left out.
 *   <li>The big natives unpacked once, at build time, into {@code native/}: libtorch (DJL would
 *       otherwise unpack 430 MB into each user's home on first start), ONNX Runtime, the Hugging
 *       Face tokenizers and OpenCV. The launcher points each library's loader there (see {@code
 *       src/jpackage/common.args}).
 * </ul>
 *
 * <p>Usage: {@code ImageInputs JARS_DIR INPUT_DIR}.
 */
public final class ImageInputs {
  /** A jar's natives to unpack into {@code native/<folder>/}, those whose path contains a word. */
  record Unpack(String folder, String pathContains) {}

  /** By artifact: what is unpacked (after other platforms' builds are left out). */
  static final Map<String, Unpack> UNPACK =
      Map.of(
          // libtorch itself: DJL loads it from PYTORCH_LIBRARY_PATH ...
          "pytorch-native-cpu", new Unpack("libtorch", "/cpu/"),
          // ... and DJL's JNI library from the same folder (the CUDA build stays in the jar).
          "pytorch-jni", new Unpack("libtorch", "/cpu/"),
          "onnxruntime", new Unpack("onnxruntime", ""),
          "tokenizers", new Unpack("tokenizers", "/cpu/"),
          "opencv", new Unpack("opencv", ""));

  private static final Pattern ARTIFACT = Pattern.compile("^(.+?)-\\d.*\\.jar$");
  private static final Pattern SIGNATURE =
      Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)$", Pattern.CASE_INSENSITIVE);

  /** What happened to one jar. */
  record Result(String jar, long bytesIn, long bytesOut, long dropped, long unpacked) {}

  private ImageInputs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ImageInputs JARS_DIR INPUT_DIR");
    }
    Platform platform = Platform.current();
    List<Result> results = prepare(Path.of(args[0]), Path.of(args[1]), platform);
    System.out.println(table(results, platform));
  }

  /** Copies or slims every jar of {@code jars} into {@code input}, unpacking as {@link #UNPACK}. */
  static List<Result> prepare(Path jars, Path input, Platform platform) throws IOException {
    Files.createDirectories(input);
    List<Path> sources;
    try (Stream<Path> list = Files.list(jars)) {
      sources = list.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
    List<Result> results = new ArrayList<>();
    for (Path jar : sources) {
      results.add(prepareJar(jar, input, platform));
    }
    return results;
  }

  private static Result prepareJar(Path jar, Path input, Platform platform) throws IOException {
    String name = jar.getFileName().toString();
    Matcher artifact = ARTIFACT.matcher(name);
    Unpack unpack = artifact.matches() ? UNPACK.get(artifact.group(1)) : null;
    Path target = input.resolve(name);
    long dropped = 0;
    long unpacked = 0;
    boolean hadNatives = false;
    boolean keptOrUnpackedOne = false;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<ZipEntry> kept = new ArrayList<>();
      Set<String> unpackedNames = new HashSet<>();
      for (ZipEntry entry : Collections.list(zip.entries())) {
        String path = entry.getName();
        if (entry.isDirectory() || !Platform.isNative(path)) {
          kept.add(entry);
          continue;
        }
        hadNatives = true;
        if (Platform.isDebugSymbols(path) || platform.isForeign(path)) {
          dropped += entry.getSize();
          continue;
        }
        keptOrUnpackedOne = true;
        if (unpack != null && path.contains(unpack.pathContains())) {
          String file = path.substring(path.lastIndexOf('/') + 1);
          if (!unpackedNames.add(file)) {
            throw new IOException(name + " has two natives named " + file + " for " + platform);
          }
          Path out = input.resolve("native").resolve(unpack.folder()).resolve(file);
          Files.createDirectories(out.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
          }
          unpacked += entry.getSize();
        } else {
          kept.add(entry);
        }
      }
      if (hadNatives && !keptOrUnpackedOne) {
        throw new IOException(
            name + " has native libraries, but none that this build recognises as " + platform);
      }
      if (dropped == 0 && unpacked == 0) {
        Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
      } else {
        writeJar(zip, kept, target);
      }
    }
    return new Result(name, Files.size(jar), Files.size(target), dropped, unpacked);
  }

  /** The kept entries as a new jar; signatures go (they no longer match a changed jar). */
  private static void writeJar(ZipFile zip, List<ZipEntry> kept, Path target) throws IOException {
    try (OutputStream file = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry entry : kept) {
        if (SIGNATURE.matcher(entry.getName()).matches()) {
          continue;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        if (!entry.isDirectory()) {
          try (InputStream in = zip.getInputStream(entry)) {
            in.transferTo(out);
          }
        }
        out.closeEntry();
      }
    }
  }

  /** The size table printed by the build. */
  static String table(List<Result> results, Platform platform) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "Jars for %s (MB): %-52s %8s %8s %9s %9s%n",
            platform,
            "jar",
            "before",
            "after",
            "dropped",
            "unpacked"));
    long in = 0;
    long out = 0;
    long dropped = 0;
    long unpacked = 0;
    for (Result r : results) {
      in += r.bytesIn();
      out += r.bytesOut();
      dropped += r.dropped();
      unpacked += r.unpacked();
      if (r.dropped() > 0 || r.unpacked() > 0) {
        text.append(row(r.jar(), r.bytesIn(), r.bytesOut(), r.dropped(), r.unpacked()));
      }
    }
    text.append(row("all " + results.size() + " jars", in, out, dropped, unpacked));
    return text.toString();
  }

  private static String row(String jar, long in, long out, long dropped, long unpacked) {
    return String.format(
        Locale.ROOT,
        "%-72s %8.1f %8.1f %9.1f %9.1f%n",
        jar,
        in / 1e6,
        out / 1e6,
        dropped / 1e6,
        unpacked / 1e6);
  }
}
