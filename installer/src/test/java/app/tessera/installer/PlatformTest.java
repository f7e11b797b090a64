package app.tessera.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which native libraries of the real jars (their own path spellings) belong to a platform. */
class PlatformTest {
  /** Native paths as the application's jars spell them, one build per platform. */
  static final List<String> LINUX_X64 =
      List.of(
          "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
          "nu/pattern/opencv/linux/x86_64/libopencv_java490.so",
          "native/lib/linux-x86_64/cpu/libtokenizers.so",
          "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so",
          "com/sun/jna/linux-x86-64/libjnidispatch.so",
          "jnilib/linux-x86_64/cu128/libdjl_torch.so",
          "pytorch/cpu/linux-x86_64/libgomp-98b21ff3.so.1");

  static final List<String> OTHERS =
      List.of(
          "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
          "ai/onnxruntime/native/osx-x64/libonnxruntime.dylib",
          "ai/onnxruntime/native/win-x64/onnxruntime.dll",
          "nu/pattern/opencv/linux/ARMv7/libopencv_java490.so",
          "nu/pattern/opencv/linux/ARMv8/libopencv_java490.so",
          "nu/pattern/opencv/osx/ARMv8/libopencv_java490.dylib",
          "nu/pattern/opencv/windows/x86_32/opencv_java490.dll",
          "nu/pattern/opencv/windows/x86_64/opencv_java490.dll",
          "native/lib/osx-aarch64/cpu/libtokenizers.dylib",
          "native/lib/win-x86_64/cpu/libwinpthread-1.dll",
          "org/sqlite/native/Linux-Musl/x86_64/libsqlitejdbc.so",
          "org/sqlite/native/Linux-Android/x86_64/libsqlitejdbc.so",
          "org/sqlite/native/Linux/x86/libsqlitejdbc.so",
          "org/sqlite/native/FreeBSD/x86_64/libsqlitejdbc.so",
          "org/sqlite/native/Mac/x86_64/libsqlitejdbc.dylib",
          "com/sun/jna/linux-x86/libjnidispatch.so",
          "com/sun/jna/win32-x86-64/jnidispatch.dll",
          "com/sun/jna/darwin-aarch64/libjnidispatch.jnilib",
          "com/sun/jna/dragonflybsd-x86-64/libjnidispatch.so",
          "jnilib/win-x86_64/cu128/djl_torch.dll");

  @Test
  void linuxX64KeepsItsOwnBuildsInEverySpelling() {
    Platform linux = new Platform("linux", "x64");
    assertThat(LINUX_X64).allSatisfy(path -> assertThat(linux.isForeign(path)).isFalse());
    assertThat(OTHERS).allSatisfy(path -> assertThat(linux.isForeign(path)).isTrue());
  }

  @Test
  void otherPlatformsKeepTheirs() {
    Platform windows = new Platform("windows", "x64");
    assertThat(windows.isForeign("nu/pattern/opencv/windows/x86_64/opencv_java490.dll")).isFalse();
    assertThat(windows.isForeign("com/sun/jna/win32-x86-64/jnidispatch.dll")).isFalse();
    assertThat(windows.isForeign("nu/pattern/opencv/windows/x86_32/opencv_java490.dll")).isTrue();
    assertThat(windows.isForeign("ai/onnxruntime/native/linux-x64/libonnxruntime.so")).isTrue();

    Platform mac = new Platform("mac", "arm64");
    assertThat(mac.isForeign("nu/pattern/opencv/osx/ARMv8/libopencv_java490.dylib")).isFalse();
    assertThat(mac.isForeign("com/sun/jna/darwin-aarch64/libjnidispatch.jnilib")).isFalse();
    assertThat(mac.isForeign("ai/onnxruntime/native/osx-x64/libonnxruntime.dylib")).isTrue();
  }

  @Test
  void pathsNamingNoPlatformAreKept() {
    assertThat(new Platform("linux", "x64").isForeign("native/libsomething.so")).isFalse();
  }

  @Test
  void recognisesNativesAndDebugSymbols() {
    assertThat(Platform.isNative("pytorch/cpu/linux-x86_64/libgomp-98b21ff3.so.1")).isTrue();
    assertThat(Platform.isNative("com/sun/jna/darwin-aarch64/libjnidispatch.jnilib")).isTrue();
    assertThat(Platform.isNative("org/sqlite/SQLiteJDBCLoader.class")).isFalse();
    assertThat(Platform.isNative("META-INF/native-image/ai/djl/jni-config.json")).isFalse();
    assertThat(
            Platform.isDebugSymbols(
                "ai/onnxruntime/native/osx-x64/libonnxruntime.dylib.dSYM/Contents/Info.plist"))
        .isTrue();
    assertThat(Platform.isDebugSymbols("ai/onnxruntime/native/win-x64/onnxruntime.pdb")).isTrue();
  }
}
