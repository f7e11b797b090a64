package app.tessera.engine.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Writes the test corpus: ordinary, unusual and hostile image files. */
final class TestImages {
  private TestImages() {}

  static BufferedImage solid(int w, int h, Color color) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }

  /** Left half {@code left}, right half {@code right}. */
  static BufferedImage halves(int w, int h, Color left, Color right) {
    BufferedImage image = solid(w, h, left);
    Graphics2D g = image.createGraphics();
    g.setColor(right);
    g.fillRect(w / 2, 0, w - w / 2, h);
    g.dispose();
    return image;
  }

  /** A seeded noisy picture (so that JPEGs of different seeds differ). */
  static BufferedImage noise(int w, int h, long seed) {
    java.util.Random random = new java.util.Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return image;
  }

  static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  static byte[] progressiveJpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /** Inserts APP segments right after the JFIF segment of a JPEG. */
  static byte[] withSegments(byte[] jpeg, byte[]... segments) {
    int at = 2;
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
      at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, at);
    for (byte[] s : segments) {
      out.writeBytes(s);
    }
    out.write(jpeg, at, jpeg.length - at);
    return out.toByteArray();
  }

  private static byte[] segment(int marker, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
    b.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
    return b.array();
  }

  /** An EXIF APP1 segment with Orientation and (if not null) ImageDescription. */
  static byte[] exif(int orientation, String description) {
    byte[] desc =
        description == null ? null : (description + "\0").getBytes(StandardCharsets.UTF_8);
    int entries = desc == null ? 1 : 2;
    int dataAt = 8 + 2 + entries * 12 + 4;
    ByteBuffer tiff = ByteBuffer.allocate(dataAt + (desc == null ? 0 : desc.length));
    tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) entries);
    if (desc != null) {
      tiff.putShort((short) 0x010E).putShort((short) 2).putInt(desc.length).putInt(dataAt);
    }
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation);
    tiff.putShort((short) 0).putInt(0);
    if (desc != null) {
      tiff.put(desc);
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
    payload.writeBytes(tiff.array());
    return segment(0xE1, payload.toByteArray());
  }

  /** An XMP packet with dc:description, dc:title and dc:subject. */
  static String xmpPacket(String description, String title, String... subjects) {
    StringBuilder bag = new StringBuilder();
    for (String s : subjects) {
      bag.append("<rdf:li>").append(s).append("</rdf:li>");
    }
    return "<?xpacket begin='\uFEFF' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        + "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF"
        + " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        + "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        + (description == null
            ? ""
            : "<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>"
                + description
                + "</rdf:li></rdf:Alt></dc:description>")
        + (title == null
            ? ""
            : "<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>"
                + title
                + "</rdf:li></rdf:Alt></dc:title>")
        + (subjects.length == 0 ? "" : "<dc:subject><rdf:Bag>" + bag + "</rdf:Bag></dc:subject>")
        + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
  }

  static byte[] xmpSegment(String packet) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.writeBytes("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.US_ASCII));
    payload.writeBytes(packet.getBytes(StandardCharsets.UTF_8));
    return segment(0xE1, payload.toByteArray());
  }

  /** An APP13 Photoshop segment with IPTC Caption-Abstract and Keywords (UTF-8). */
  static byte[] iptcSegment(String caption, String... keywords) {
    ByteArrayOutputStream iptc = new ByteArrayOutputStream();
    dataset(iptc, 1, 90, new byte[] {0x1B, 0x25, 0x47}); // coded character set: UTF-8
    dataset(iptc, 2, 120, caption.getBytes(StandardCharsets.UTF_8));
    for (String k : keywords) {
      dataset(iptc, 2, 25, k.getBytes(StandardCharsets.UTF_8));
    }
    byte[] data = iptc.toByteArray();
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.writeBytes("Photoshop 3.0\0".getBytes(StandardCharsets.US_ASCII));
    payload.writeBytes("8BIM".getBytes(StandardCharsets.US_ASCII));
    payload.writeBytes(new byte[] {0x04, 0x04, 0, 0});
    payload.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    payload.writeBytes(data);
    if (data.length % 2 == 1) {
      payload.write(0);
    }
    return segment(0xED, payload.toByteArray());
  }

  private static void dataset(ByteArrayOutputStream out, int record, int tag, byte[] value) {
    out.write(0x1C);
    out.write(record);
    out.write(tag);
    out.write(value.length >> 8);
    out.write(value.length & 0xFF);
    out.writeBytes(value);
  }

  /** A 4-channel (CMYK) JPEG written from a raster, as print workflows produce. */
  static byte[] cmykJpeg(int w, int h, int c, int m, int y, int k) throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) {
        raster.setPixel(xx, yy, new int[] {c, m, y, k});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A 16-bit-per-channel RGB PNG of one colour (values 0..65535). */
  static byte[] png16(int w, int h, int r, int g, int b) throws IOException {
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setPixel(x, y, new int[] {r, g, b});
      }
    }
    return png(new BufferedImage(model, raster, false, null));
  }

  /** A palette PNG: index 0 transparent, index 1 green. Left half transparent. */
  static byte[] palettePng(int w, int h) throws IOException {
    IndexColorModel palette =
        new IndexColorModel(
            8, 2, new byte[] {0, 0}, new byte[] {0, (byte) 200}, new byte[] {0, 0}, 0);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, palette);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = w / 2; x < w; x++) {
        raster.setSample(x, y, 0, 1);
      }
    }
    return png(image);
  }

  /** An ARGB PNG, fully transparent (must come out white). */
  static byte[] transparentPng(int w, int h) throws IOException {
    return png(new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB));
  }

  /** An animated GIF: first frame {@code first}, then {@code second}. */
  static byte[] animatedGif(int w, int h, Color first, Color second) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      for (Color color : new Color[] {first, second}) {
        BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = frame.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
        IIOMetadata metadata = writer.getDefaultImageMetadata(type, null);
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", "10");
        control.setAttribute("transparentColorIndex", "0");
        root.appendChild(control);
        metadata.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(frame, null, metadata), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * Streams a {@code size x size} 8-bit grey PNG to disk row by row: a huge image whose file is
   * small and which never exists in memory.
   */
  static void hugePng(Path file, int size) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw))) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
      ByteBuffer ihdr = ByteBuffer.allocate(13);
      ihdr.putInt(size).putInt(size).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0);
      ihdr.put((byte) 0);
      chunk(out, "IHDR", ihdr.array());
      ByteArrayOutputStream idat = new ByteArrayOutputStream();
      Deflater deflater = new Deflater(Deflater.BEST_SPEED);
      try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
        byte[] row = new byte[size + 1]; // filter 0, then grey 128
        java.util.Arrays.fill(row, 1, row.length, (byte) 128);
        for (int y = 0; y < size; y++) {
          z.write(row);
        }
      }
      deflater.end();
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
    }
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }

  /** SHA-256 of every regular file under {@code dir}, by relative path (no symlinks followed). */
  static Map<String, String> hashTree(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.isReadable(p)) {
          try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            out.put(
                dir.relativize(p).toString(),
                HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)))
                    + "@"
                    + Files.getLastModifiedTime(p));
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return out;
  }
}
