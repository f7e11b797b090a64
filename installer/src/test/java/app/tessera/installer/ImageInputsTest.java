package app.tessera.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slimming and unpacking jars for one platform, on small jars shaped like the real ones. */
class ImageInputsTest {
  static final Platform LINUX = new Platform("linux", "x64");

  @TempDir Path dir;

  @Test
  void keepsThisPlatformsNativesAndUnpacksTheBigOnes() throws IOException {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    jar(
        jars.resolve("onnxruntime-1.21.1.jar"),
        Map.of(
            "ai/onnxruntime/OrtSession.class", "class",
            "ai/onnxruntime/native/linux-x64/libonnxruntime.so", "linux",
            "ai/onnxruntime/native/win-x64/onnxruntime.dll", "windows",
            "ai/onnxruntime/native/win-x64/onnxruntime.pdb", "pdb",
            "ai/onnxruntime/native/osx-x64/libonnxruntime.dylib.dSYM/Contents/Info.plist", "dsym",
            "META-INF/ONNX.SF", "signature"));
    jar(
        jars.resolve("pytorch-jni-2.7.1-0.36.0.jar"),
        Map.of(
            "jnilib/pytorch.properties", "jni_version=2.7.1-0.36.0",
            "jnilib/linux-x86_64/cpu/libdjl_torch.so", "cpu jni",
            "jnilib/linux-x86_64/cu128/libdjl_torch.so", "cuda jni",
            "jnilib/osx-aarch64/cpu/libdjl_torch.dylib", "mac jni"));
    jar(
        jars.resolve("sqlite-jdbc-3.53.4.0.jar"),
        Map.of(
            "org/sqlite/JDBC.class", "class",
            "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so", "linux",
            "org/sqlite/native/Linux-Musl/x86_64/libsqlitejdbc.so", "musl"));
    Path plain = jar(jars.resolve("picocli-4.7.7.jar"), Map.of("picocli/CommandLine.class", "x"));

    Path input = dir.resolve("input");
    List<ImageInputs.Result> results = ImageInputs.prepare(jars, input, LINUX);

    assertThat(entries(input.resolve("onnxruntime-1.21.1.jar")))
        .containsExactly("ai/onnxruntime/OrtSession.class");
    assertThat(input.resolve("native/onnxruntime/libonnxruntime.so")).hasContent("linux");

    // The CPU JNI library goes beside libtorch; the CUDA one stays in the jar for the GPU runtime.
    assertThat(entries(input.resolve("pytorch-jni-2.7.1-0.36.0.jar")))
        .containsExactlyInAnyOrder(
            "jnilib/pytorch.properties", "jnilib/linux-x86_64/cu128/libdjl_torch.so");
    assertThat(input.resolve("native/libtorch/libdjl_torch.so")).hasContent("cpu jni");

    // Not unpacked, only slimmed: the library loads itself from the jar.
    assertThat(entries(input.resolve("sqlite-jdbc-3.53.4.0.jar")))
        .containsExactlyInAnyOrder(
            "org/sqlite/JDBC.class", "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so");

    assertThat(input.resolve("picocli-4.7.7.jar")).hasSameBinaryContentAs(plain);
    assertThat(results)
        .filteredOn(r -> r.jar().startsWith("onnxruntime"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.dropped())
                  .isEqualTo("windows".length() + "pdb".length() + "dsym".length());
              assertThat(r.unpacked()).isEqualTo("linux".length());
            });
    assertThat(ImageInputs.table(results, LINUX))
        .contains("onnxruntime-1.21.1.jar")
        .contains("all 4 jars")
        .doesNotContain("picocli");
  }

  @Test
  void aJarWithNativesForNoPlatformItKnowsIsRefused() throws IOException {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    jar(
        jars.resolve("opencv-4.9.0-0.jar"),
        Map.of("nu/pattern/opencv/windows/x86_64/opencv_java490.dll", "windows"));

    assertThatThrownBy(() -> ImageInputs.prepare(jars, dir.resolve("input"), LINUX))
        .hasMessageContaining("opencv-4.9.0-0.jar has native libraries")
        .hasMessageContaining("linux-x64");
  }

  private static Path jar(Path path, Map<String, String> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(path);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return path;
  }

  private static List<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
    }
  }
}
