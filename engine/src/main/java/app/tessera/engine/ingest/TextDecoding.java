package app.tessera.engine.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns caption bytes into text: honours a UTF-8, UTF-16 or UTF-32 byte-order mark, otherwise reads
 * UTF-8 strictly and, if the bytes are not valid UTF-8, decodes them with replacement characters
 * and says so. Captions longer than {@link #MAX_CHARS} are truncated with a note. Never throws.
 */
public final class TextDecoding {
  private TextDecoding() {}

  /** Longest caption kept, in characters; longer text is truncated (with a note). */
  public static final int MAX_CHARS = 16_384;

  /** At most this many bytes of a text sidecar are read (enough for {@link #MAX_CHARS}). */
  public static final int MAX_BYTES = MAX_CHARS * 4 + 4;

  /** Decoded text and, if anything was lossy, a note saying what. */
  public record Text(String text, String note) {}

  /** Decodes {@code bytes}; {@code cutShort} says the bytes are only the start of a longer file. */
  public static Text decode(byte[] bytes, boolean cutShort) {
    List<String> notes = new ArrayList<>();
    Charset charset = StandardCharsets.UTF_8;
    int skip = 0;
    if (startsWith(bytes, 0x00, 0x00, 0xFE, 0xFF)) {
      charset = Charset.forName("UTF-32BE");
      skip = 4;
    } else if (startsWith(bytes, 0xFF, 0xFE, 0x00, 0x00)) {
      charset = Charset.forName("UTF-32LE");
      skip = 4;
    } else if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      skip = 3;
    } else if (startsWith(bytes, 0xFE, 0xFF)) {
      charset = StandardCharsets.UTF_16BE;
      skip = 2;
    } else if (startsWith(bytes, 0xFF, 0xFE)) {
      charset = StandardCharsets.UTF_16LE;
      skip = 2;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
    String text;
    try {
      text =
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(buffer.duplicate())
              .toString();
    } catch (CharacterCodingException e) {
      if (cutShort) {
        // The cut may fall inside a character: only the tail would be malformed.
        text = charset.decode(buffer).toString();
        text = text.endsWith("\uFFFD") ? text.substring(0, text.length() - 1) : text;
      } else {
        text = charset.decode(buffer).toString();
      }
      if (text.indexOf('\uFFFD') >= 0) {
        notes.add("invalid " + charset.name() + ": undecodable bytes replaced by U+FFFD");
      }
    }
    return finish(text, cutShort, notes);
  }

  /** Cleans and caps text that arrived as a string (metadata, CSV). */
  public static Text clean(String text) {
    return finish(text, false, new ArrayList<>());
  }

  private static Text finish(String text, boolean cutShort, List<String> notes) {
    String cleaned = text.replace("\u0000", "").strip();
    if (cleaned.length() > MAX_CHARS) {
      int end = MAX_CHARS;
      if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
        end--;
      }
      notes.add(
          "truncated to "
              + end
              + " of "
              + (cutShort ? "more than " : "")
              + cleaned.length()
              + " characters");
      cleaned = cleaned.substring(0, end).strip();
    } else if (cutShort) {
      notes.add("truncated: only the first " + MAX_BYTES + " bytes were read");
    }
    return new Text(cleaned, notes.isEmpty() ? null : String.join("; ", notes));
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
