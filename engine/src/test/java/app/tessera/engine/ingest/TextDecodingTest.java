package app.tessera.engine.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextDecodingTest {
  private static byte[] withBom(byte[] bom, String text, Charset charset) {
    byte[] body = text.getBytes(charset);
    byte[] out = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, out, 0, bom.length);
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  @Test
  void byteOrderMarksChooseTheEncoding() {
    String text = "na\u00efve \u5199\u771f \uD83D\uDE00";
    assertThat(
            TextDecoding.decode(
                withBom(
                    new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                    text,
                    StandardCharsets.UTF_8),
                false))
        .isEqualTo(new TextDecoding.Text(text, null));
    assertThat(
            TextDecoding.decode(
                    withBom(new byte[] {(byte) 0xFF, (byte) 0xFE}, text, StandardCharsets.UTF_16LE),
                    false)
                .text())
        .isEqualTo(text);
    assertThat(
            TextDecoding.decode(
                    withBom(new byte[] {(byte) 0xFE, (byte) 0xFF}, text, StandardCharsets.UTF_16BE),
                    false)
                .text())
        .isEqualTo(text);
    assertThat(TextDecoding.decode(text.getBytes(StandardCharsets.UTF_8), false).text())
        .isEqualTo(text);
  }

  @Test
  void invalidUtf8IsReplacedAndNoted() {
    TextDecoding.Text t = TextDecoding.decode(new byte[] {'a', (byte) 0xFF, 'b'}, false);
    assertThat(t.text()).isEqualTo("a\uFFFDb");
    assertThat(t.note()).contains("invalid UTF-8");
  }

  @Test
  void aCutInsideACharacterIsNotReportedAsInvalid() {
    byte[] bytes = "ab\u00e9".getBytes(StandardCharsets.UTF_8);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    TextDecoding.Text t = TextDecoding.decode(cut, true);
    assertThat(t.text()).isEqualTo("ab");
    assertThat(t.note()).doesNotContain("invalid").contains("truncated");
  }

  @Test
  void longTextIsTruncatedWithANoteAndNulsAreDropped() {
    TextDecoding.Text t = TextDecoding.clean("x".repeat(TextDecoding.MAX_CHARS + 10));
    assertThat(t.text()).hasSize(TextDecoding.MAX_CHARS);
    assertThat(t.note()).isEqualTo("truncated to 16384 of 16394 characters");
    assertThat(TextDecoding.clean(" a\u0000b ").text()).isEqualTo("ab");
  }
}
