package app.tessera.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags live in one place, the root POM's {@code tessera.jvm.flags}: tests get them from
 * it, {@code ./tessera} reads them from the file the build writes, and the installer's argument
 * file (jpackage needs one option per line) must start with the same ones.
 */
class JvmFlagsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static List<String> pomFlags() throws Exception {
    Matcher m =
        Pattern.compile("<tessera.jvm.flags>([^<]*)</tessera.jvm.flags>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return Arrays.asList(m.group(1).trim().split("\\s+"));
  }

  @Test
  void theInstallerPassesThePomsFlags() throws Exception {
    List<String> installer =
        Files.readAllLines(ROOT.resolve("installer/src/jpackage/common.args")).stream()
            .filter(line -> line.startsWith("--java-options "))
            .map(line -> line.substring("--java-options ".length()).trim())
            .toList();
    // It adds its own (where the natives unpacked into the image are), after the shared ones.
    assertThat(installer).startsWith(pomFlags().toArray(String[]::new));
  }

  @Test
  void theLauncherReadsTheFlagsTheBuildWrites() throws Exception {
    String script = Files.readString(ROOT.resolve("tessera"));
    assertThat(script).contains("$(cat \"$FLAGS_FILE\")");
    for (String flag : pomFlags()) {
      assertThat(script).doesNotContain(flag);
    }
    assertThat(Files.readString(ROOT.resolve("desktop-app/target/jvm.flags")).trim())
        .isEqualTo(String.join(" ", pomFlags()));
  }
}
