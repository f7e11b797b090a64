package app.tessera.engine;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * File paths as text that keeps every byte of the name, whatever the locale: how the catalogue
 * stores paths (docs/ingest.md, "File names").
 *
 * <p>On Linux a file name is bytes, not text. The JVM decodes them with the locale's encoding
 * ({@code sun.jnu.encoding}): bytes that are not valid UTF-8 become U+FFFD, and under a C/POSIX
 * locale every non-ASCII byte does, so {@code Path.toString()} loses the name and {@code
 * Path.of(string)} cannot find the file again (or throws). Here a path's text is its bytes read as
 * UTF-8, where each byte that is not part of valid UTF-8 becomes the private-use character {@code
 * U+EF00 + byte} (U+EF80 to U+EFFF; the same mapping as MirOS' OPTU-8). A name that really contains
 * one of those characters has its UTF-8 bytes mapped the same way, so the mapping is one to one and
 * every other name reads exactly as the user sees it. Bytes are read from and given to the JVM
 * through {@code file:} URIs, which carry a path's own bytes percent-encoded.
 */
public final class PathText {
  private PathText() {}

  private static final boolean JNU_UTF8 =
      "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"));

  private static final char RAW_FIRST = '\uEF80';
  private static final char RAW_LAST = '\uEFFF';

  /** The text of {@code path} (absolute or relative, as it is). */
  public static String of(Path path) {
    String s = path.toString();
    if (exact(s)) {
      return s;
    }
    return decode(bytes(path));
  }

  /** {@code file} relative to {@code root} as text, '/'-separated. */
  public static String relative(Path root, Path file) {
    Path rel = root.relativize(file);
    String s = rel.toString();
    if (exact(s)) {
      return s.replace(rel.getFileSystem().getSeparator(), "/");
    }
    byte[] all = absoluteBytes(file.toAbsolutePath());
    byte[] base = absoluteBytes(root.toAbsolutePath());
    int from = base.length + (base.length > 0 && base[base.length - 1] == '/' ? 0 : 1);
    byte[] relative = new byte[Math.max(0, all.length - from)];
    System.arraycopy(all, Math.min(from, all.length), relative, 0, relative.length);
    return decode(relative);
  }

  /** The path whose text is {@code text} (absolute, or relative to the working folder). */
  public static Path toPath(String text) {
    if (plain(text)) {
      return Path.of(text);
    }
    return fromBytes(Path.of("").toAbsolutePath(), encode(text));
  }

  /** {@code root} joined with {@code relative} text ('/'-separated); not normalised. */
  public static Path resolve(Path root, String relative) {
    if (plain(relative)) {
      return root.resolve(relative);
    }
    return fromBytes(root.toAbsolutePath(), encode(relative));
  }

  /**
   * {@code path} for people: as the user sees it, with each byte that is not valid UTF-8 shown as
   * {@code \xFF} (as {@code ls -b} does). Never used to find a file again.
   */
  public static String display(Path path) {
    String text = of(path);
    if (plain(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= RAW_FIRST && c <= RAW_LAST) {
        out.append("\\x").append(HexFormat.of().withUpperCase().toHexDigits((byte) (c - 0xEF00)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether {@code s}, from {@code Path.toString()}, holds the path's bytes exactly. */
  private static boolean exact(String s) {
    if (JNU_UTF8) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\uFFFD' || (c >= RAW_FIRST && c <= RAW_LAST)) {
          return false;
        }
      }
      return true;
    }
    return ascii(s);
  }

  /** Whether the JVM turns {@code text} into the right bytes by itself. */
  private static boolean plain(String text) {
    if (JNU_UTF8) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= RAW_FIRST && c <= RAW_LAST) {
          return false;
        }
      }
      return true;
    }
    return ascii(text);
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of {@code path}, relative or absolute as it is, through its URI. */
  static byte[] bytes(Path path) {
    byte[] absolute = absoluteBytes(path.toAbsolutePath());
    if (path.isAbsolute()) {
      return absolute;
    }
    byte[] cwd = absoluteBytes(Path.of("").toAbsolutePath());
    int from = Math.min(absolute.length, cwd.length + (cwd.length > 1 ? 1 : 0));
    return Arrays.copyOfRange(absolute, from, absolute.length);
  }

  private static byte[] absoluteBytes(Path absolute) {
    byte[] bytes = percentDecode(absolute.toUri().getRawPath());
    int n = bytes.length;
    return n > 1 && bytes[n - 1] == '/'
        ? Arrays.copyOf(bytes, n - 1)
        : bytes; // a folder's ends in /
  }

  private static Path fromBytes(Path absoluteBase, byte[] relativeOrAbsolute) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    if (relativeOrAbsolute.length == 0 || relativeOrAbsolute[0] != '/') {
      byte[] base = absoluteBytes(absoluteBase);
      all.writeBytes(base);
      if (base.length == 0 || base[base.length - 1] != '/') {
        all.write('/');
      }
    }
    all.writeBytes(relativeOrAbsolute);
    return Path.of(URI.create("file://" + percentEncode(all.toByteArray())));
  }

  private static String percentEncode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int v = b & 0xFF;
      if ((v >= 'a' && v <= 'z')
          || (v >= 'A' && v <= 'Z')
          || (v >= '0' && v <= '9')
          || v == '/'
          || v == '-'
          || v == '.'
          || v == '_'
          || v == '~') {
        out.append((char) v);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static byte[] percentDecode(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** Bytes as text: UTF-8, other bytes as U+EF00 + byte. */
  static String decode(byte[] b) {
    StringBuilder out = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int v = b[i] & 0xFF;
      if (v < 0x80) {
        out.append((char) v);
        i++;
        continue;
      }
      int length = v < 0xC2 ? 0 : v <= 0xDF ? 2 : v <= 0xEF ? 3 : v <= 0xF4 ? 4 : 0;
      int cp = length == 0 ? -1 : codePoint(b, i, length);
      if (cp >= RAW_FIRST && cp <= RAW_LAST) {
        for (int k = 0; k < length; k++) { // a character of the mapping: its bytes, mapped
          out.append((char) (0xEF00 + (b[i++] & 0xFF)));
        }
      } else if (cp < 0) {
        out.append((char) (0xEF00 + v)); // not valid UTF-8 here
        i++;
      } else {
        out.appendCodePoint(cp);
        i += length;
      }
    }
    return out.toString();
  }

  /** The code point of the {@code length}-byte UTF-8 sequence at {@code i}, or -1 if invalid. */
  private static int codePoint(byte[] b, int i, int length) {
    if (i + length > b.length) {
      return -1;
    }
    int cp = b[i] & (0xFF >> (length + 1));
    for (int k = 1; k < length; k++) {
      int v = b[i + k] & 0xFF;
      if ((v & 0xC0) != 0x80) {
        return -1;
      }
      cp = cp << 6 | (v & 0x3F);
    }
    int min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1; // overlong, beyond Unicode, or a surrogate
    }
    return cp;
  }

  /** Text as bytes: the inverse of {@link #decode}. */
  static byte[] encode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (cp >= RAW_FIRST && cp <= RAW_LAST) {
        out.write(cp - 0xEF00);
      } else {
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
      }
      i += Character.charCount(cp);
    }
    return out.toByteArray();
  }
}
