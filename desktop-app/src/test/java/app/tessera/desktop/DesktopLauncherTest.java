package app.tessera.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DesktopLauncherTest {
  @Test
  void namesTheMissingGtkLibrary() {
    String line =
        DesktopLauncher.whyNoWindow(
            new UnsupportedOperationException("Unable to load glass GTK library."),
            Map.of("DISPLAY", ":0"),
            "Linux");
    assertThat(line)
        .contains("GTK 3", "apt install libgtk-3-0", "./tessera --help")
        .doesNotContain("\n");
  }

  @Test
  void namesAMissingDisplayOnLinuxOnly() {
    RuntimeException failure = new UnsupportedOperationException("Unable to open DISPLAY");
    assertThat(DesktopLauncher.whyNoWindow(failure, Map.of(), "Linux"))
        .contains("no display (DISPLAY is not set)");
    assertThat(
            DesktopLauncher.whyNoWindow(failure, Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux"))
        .contains("did not start (Unable to open DISPLAY)");
    assertThat(DesktopLauncher.whyNoWindow(failure, Map.of(), "Mac OS X"))
        .contains("did not start");
  }
}
