package app.tessera.engine.train;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native settings {@code ./tessera} puts in the environment, applied from inside the process
 * for launchers that cannot (the installed app's jpackage launcher, a Spark executor, an IDE):
 *
 * <ul>
 *   <li>{@code OMP_WAIT_POLICY=PASSIVE}: libtorch's OpenMP threads sleep instead of spinning while
 *       they wait (see {@link DjlRuntime}). OpenMP reads it when its library loads, so it is set
 *       with the C library's {@code setenv} before the PyTorch engine starts.
 *   <li>the allocator's mmap threshold at 128 KiB ({@code MALLOC_MMAP_THRESHOLD_=131072}): large
 *       native tensors go back to the system when freed, so RSS stays flat over long trainings
 *       (models/cards/bilgseh-emoji.md). glibc reads that variable only at its first allocation,
 *       long before any Java code runs, so the same setting is made with {@code mallopt}.
 * </ul>
 *
 * A value the user set is kept. Linux with glibc only; elsewhere nothing is done.
 */
final class NativeEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(NativeEnvironment.class);

  static final String WAIT_POLICY = "OMP_WAIT_POLICY";
  static final String MMAP_THRESHOLD = "MALLOC_MMAP_THRESHOLD_";
  static final int MMAP_THRESHOLD_BYTES = 131_072;
  private static final int M_MMAP_THRESHOLD = -3; // glibc's malloc.h

  private static boolean prepared;

  private NativeEnvironment() {}

  /** Applies both settings once, before the PyTorch engine starts. */
  static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    Optional<Libc> libc = Libc.find();
    if (libc.isEmpty()) {
      return;
    }
    try {
      if (libc.get().getenv(WAIT_POLICY) == null) {
        if (openMpLoaded()) {
          LOG.debug("OpenMP is already loaded: {} set now would not be read", WAIT_POLICY);
        } else {
          libc.get().setenv(WAIT_POLICY, "PASSIVE");
        }
      }
      if (libc.get().getenv(MMAP_THRESHOLD) == null) {
        libc.get().mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
      }
    } catch (Throwable e) { // a missing symbol or a failed call: keep the defaults, as before
      LOG.debug("native environment left as it is", e);
    }
  }

  /** Whether OpenMP's threads sleep while they wait (the C library's environment, not Java's). */
  static boolean waitPolicyPassive() {
    Optional<Libc> libc = Libc.find();
    String value =
        libc.isPresent() ? libc.get().getenvQuietly(WAIT_POLICY) : System.getenv(WAIT_POLICY);
    return "PASSIVE".equalsIgnoreCase(value);
  }

  /** Whether an OpenMP runtime is mapped into this process already (Linux). */
  static boolean openMpLoaded() {
    try {
      String maps = Files.readString(Path.of("/proc/self/maps"));
      return maps.contains("libgomp") || maps.contains("libiomp") || maps.contains("libomp");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The three C library functions, through the FFM API. */
  record Libc(MethodHandle getenv, MethodHandle setenv, MethodHandle mallopt) {
    private static Optional<Libc> instance;

    static synchronized Optional<Libc> find() {
      if (instance == null) {
        instance = Optional.empty();
        if (System.getProperty("os.name", "").startsWith("Linux")) {
          Linker linker = Linker.nativeLinker();
          var lookup = linker.defaultLookup();
          var get = lookup.find("getenv");
          var set = lookup.find("setenv");
          var opt = lookup.find("mallopt");
          if (get.isPresent() && set.isPresent() && opt.isPresent()) {
            instance =
                Optional.of(
                    new Libc(
                        linker.downcallHandle(get.get(), FunctionDescriptor.of(ADDRESS, ADDRESS)),
                        linker.downcallHandle(
                            set.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)),
                        linker.downcallHandle(
                            opt.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT))));
          }
        }
      }
      return instance;
    }

    String getenv(String name) throws Throwable {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
        return value.equals(MemorySegment.NULL)
            ? null
            : value.reinterpret(Integer.MAX_VALUE).getString(0);
      }
    }

    String getenvQuietly(String name) {
      try {
        return getenv(name);
      } catch (Throwable e) {
        return System.getenv(name);
      }
    }

    void setenv(String name, String value) throws Throwable {
      try (Arena arena = Arena.ofConfined()) {
        int status =
            (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 0);
        if (status != 0) {
          throw new IllegalStateException("setenv " + name + " failed");
        }
      }
    }

    /** {@code mallopt}; true when the C library took the setting. */
    boolean mallopt(int parameter, int value) throws Throwable {
      return (int) mallopt.invokeExact(parameter, value) == 1;
    }
  }
}
