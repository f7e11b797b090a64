package app.tessera.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each case runs a fresh JVM, as a launcher would start one: the C library's environment and the
 * allocator are per process, and this test JVM may have loaded OpenMP already.
 */
class NativeEnvironmentTest {
  /** Prints what a fresh process has after {@link NativeEnvironment#prepare()}. */
  public static void main(String[] args) throws Throwable {
    NativeEnvironment.prepare();
    NativeEnvironment.Libc libc = NativeEnvironment.Libc.find().orElseThrow();
    System.out.println("wait=" + libc.getenv(NativeEnvironment.WAIT_POLICY));
    System.out.println("passive=" + NativeEnvironment.waitPolicyPassive());
    // mallopt answers 1 when glibc takes a threshold: shows the call path works in this process
    System.out.println("mallopt=" + libc.mallopt(-3, NativeEnvironment.MMAP_THRESHOLD_BYTES));
  }

  private static List<String> probe(Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            NativeEnvironmentTest.class.getName());
    pb.environment().remove(NativeEnvironment.WAIT_POLICY);
    pb.environment().remove(NativeEnvironment.MMAP_THRESHOLD);
    pb.environment().putAll(extraEnv);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().filter(l -> l.contains("=")).toList();
  }

  @Test
  void aProcessStartedWithoutTheSettingsGetsThemFromInside() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "glibc only");

    assertThat(probe(Map.of())).containsExactly("wait=PASSIVE", "passive=true", "mallopt=true");
  }

  @Test
  void aValueTheUserSetIsKept() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "glibc only");

    assertThat(probe(Map.of(NativeEnvironment.WAIT_POLICY, "ACTIVE")))
        .containsExactly("wait=ACTIVE", "passive=false", "mallopt=true");
  }
}
