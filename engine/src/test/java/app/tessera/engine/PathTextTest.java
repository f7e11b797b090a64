package app.tessera.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File names as text that keeps every byte (Linux names need not be UTF-8). */
class PathTextTest {
  @TempDir Path dir;

  @Test
  void bytesAndTextMapOneToOne() {
    Random random = new Random(7);
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] name = new byte[1 + random.nextInt(12)];
      random.nextBytes(name);
      if (i % 3 == 0) { // mostly valid UTF-8 with a stray byte or a mapped character now and then
        name = ("é" + i + (i % 2 == 0 ? "\uEF80" : "")).getBytes(StandardCharsets.UTF_8);
        name[random.nextInt(name.length)] ^= (byte) (i % 5 == 0 ? 0x40 : 0);
      }
      String text = PathText.decode(name);
      assertThat(PathText.encode(text)).as("round trip of %s", text).isEqualTo(name);
      texts.add(text + "\u0000" + java.util.HexFormat.of().formatHex(name));
    }
    // valid UTF-8 reads as itself; a stray byte becomes U+EF00 + byte
    assertThat(PathText.decode("café.png".getBytes(StandardCharsets.UTF_8))).isEqualTo("café.png");
    assertThat(PathText.decode(new byte[] {'a', (byte) 0xFF, '.', 'p'})).isEqualTo("a\uEFFF.p");
    // a name that holds a character of the mapping itself is kept apart from the byte it stands for
    byte[] literal = "a\uEFFF.p".getBytes(StandardCharsets.UTF_8);
    assertThat(PathText.decode(literal)).isNotEqualTo("a\uEFFF.p");
    assertThat(PathText.encode(PathText.decode(literal))).isEqualTo(literal);
  }

  @Test
  void namesThatAreNotUtf8FindTheirFileAgainAndStayApart() throws Exception {
    Path ff = Files.writeString(dir.resolve(name("a", 0xFF, ".png")), "ff");
    Path fe = Files.writeString(dir.resolve(name("a", 0xFE, ".png")), "fe");
    Path cafe = Files.writeString(dir.resolve("café.png"), "cafe");
    // the JVM's own text of the first two is the same, lossy one
    assertThat(ff.getFileName().toString()).isEqualTo(fe.getFileName().toString());

    assertThat(PathText.relative(dir, ff)).isNotEqualTo(PathText.relative(dir, fe));
    for (Path file : new Path[] {ff, fe, cafe}) {
      String rel = PathText.relative(dir, file);
      assertThat(Files.readString(PathText.resolve(dir, rel))).isEqualTo(Files.readString(file));
      assertThat(Files.readString(PathText.toPath(PathText.of(file))))
          .isEqualTo(Files.readString(file));
    }
    assertThat(PathText.relative(dir, cafe)).isEqualTo("café.png");
    assertThat(PathText.display(ff)).endsWith("a\\xFF.png");
    assertThat(PathText.relative(dir, dir.resolve("sub/x.png"))).isEqualTo("sub/x.png");
  }

  /** A file name with one raw byte (the JVM cannot spell it as a string). */
  private Path name(String before, int b, String after) {
    byte[] bytes = (before + "_" + after).getBytes(StandardCharsets.UTF_8);
    bytes[before.length()] = (byte) b;
    return PathText.toPath(dir + "/" + PathText.decode(bytes)).getFileName();
  }
}
