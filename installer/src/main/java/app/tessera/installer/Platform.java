package app.tessera.installer;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An operating system and processor, and which native libraries inside a jar are built for it.
 *
 * <p>Jars name their natives' platform in their paths, each in its own spelling ({@code linux-x64},
 * {@code linux/x86_64}, {@code Linux/x86_64}, {@code linux-x86-64}, {@code win32-x86-64}, {@code
 * osx-aarch64}, {@code ARMv8}…). A native library belongs to another platform when its path names
 * an operating system other than this one, or this one with another processor (or, on Linux, a C
 * library other than glibc: musl, Android); a path that names neither is kept.
 *
 * @param os {@code linux}, {@code mac} or {@code windows}
 * @param arch {@code x64} or {@code arm64}
 */
public record Platform(String os, String arch) {
  private static final Pattern NATIVE_LIBRARY =
      Pattern.compile("[^/]+\\.(so(\\.\\d+)*|dylib|jnilib|dll)$", Pattern.CASE_INSENSITIVE);

  /** Operating-system words, per family; another family's word means another platform. */
  private static final Pattern OS_WORD =
      token(
          "linux|osx|macos|macosx|mac|darwin|windows|win32|win64|win|freebsd|openbsd|netbsd"
              + "|dragonflybsd|sunos|solaris|aix|android");

  /** Processor words, the multi-part ones first so that {@code x86-64} is not read as x86. */
  private static final Pattern ARCH_WORD =
      token(
          "x86-64|x86-32|amd64|x64|aarch64|arm64|armv8|i386|i686|x86|armv7|armv6|armel|armhf|arm"
              + "|ppc64le|ppc64|ppc|s390x|riscv64|loongarch64|mips64el|sparcv9|sparc");

  /** Linux C libraries other than glibc's: their builds do not load on a desktop Linux. */
  private static final Pattern OTHER_LIBC = token("musl|android");

  /** The platform this JVM runs on. */
  public static Platform current() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return new Platform(
        os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "mac" : "linux",
        arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64");
  }

  /** Whether a jar entry is a native library or its debug symbols. */
  public static boolean isNative(String entry) {
    return NATIVE_LIBRARY.matcher(entry).find() || isDebugSymbols(entry);
  }

  /** Debug symbols (macOS {@code .dSYM} bundles, Windows {@code .pdb}): never needed to run. */
  public static boolean isDebugSymbols(String entry) {
    String path = entry.toLowerCase(Locale.ROOT);
    return path.contains(".dsym/") || path.endsWith(".pdb");
  }

  /** Whether the native library at {@code entry} is built for another platform than this one. */
  public boolean isForeign(String entry) {
    String path = entry.toLowerCase(Locale.ROOT).replace('_', '-');
    boolean namesThisOs = false;
    boolean namesOtherOs = false;
    for (String word : words(OS_WORD, path)) {
      if (osFamily(word).equals(os)) {
        namesThisOs = true;
      } else {
        namesOtherOs = true;
      }
    }
    if (namesOtherOs && !namesThisOs) {
      return true;
    }
    if (os.equals("linux") && OTHER_LIBC.matcher(path).find()) {
      return true;
    }
    for (String word : words(ARCH_WORD, path)) {
      if (!archFamily(word).equals(arch)) {
        return true;
      }
    }
    return false;
  }

  /** A short name for messages, e.g. {@code linux-x64}. */
  @Override
  public String toString() {
    return os + "-" + arch;
  }

  private static String osFamily(String word) {
    return switch (word) {
      case "linux", "android" -> "linux";
      case "osx", "macos", "macosx", "mac", "darwin" -> "mac";
      case "windows", "win32", "win64", "win" -> "windows";
      default -> word;
    };
  }

  private static String archFamily(String word) {
    return switch (word) {
      case "x86-64", "amd64", "x64" -> "x64";
      case "aarch64", "arm64", "armv8" -> "arm64";
      default -> word;
    };
  }

  private static Set<String> words(Pattern pattern, String path) {
    Matcher m = pattern.matcher(path);
    Set<String> found = new LinkedHashSet<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** A word standing alone between path separators, dashes or dots. */
  private static Pattern token(String alternatives) {
    return Pattern.compile("(?<![a-z0-9])(" + alternatives + ")(?![a-z0-9])");
  }
}
