package app.tessera.engine.ingest;

import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
import com.adobe.internal.xmp.XMPConst;
import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.adobe.internal.xmp.properties.XMPProperty;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import com.drew.metadata.xmp.XmpReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads EXIF orientation, captions (XMP dc:description/dc:title, IPTC Caption-Abstract, EXIF
 * ImageDescription) and keywords (XMP dc:subject, IPTC Keywords) through metadata-extractor, and
 * caption sidecars ({@code .txt}, {@code .caption}, {@code .xmp}). Damaged metadata is skipped: it
 * never stops a file from being indexed.
 */
final class MetadataReader {
  private MetadataReader() {}

  /** XMP sidecars larger than this are skipped (a caption never needs more). */
  private static final int XMP_SIDECAR_LIMIT = 16 << 20;

  /** Embedded metadata of one image. */
  record Embedded(int orientation, List<NewCaption> captions, List<NewLabel> labels) {
    static final Embedded NONE = new Embedded(1, List.of(), List.of());
  }

  /** Reads the embedded metadata from the file's bytes, or from the file when bytes is null. */
  static Embedded embedded(Path file, byte[] bytes) {
    if (bytes != null && !FastPng.mayHoldMetadata(bytes)) {
      return Embedded.NONE; // a PNG without text or EXIF chunks: nothing to parse
    }
    try {
      Metadata metadata;
      if (bytes != null) {
        metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
      } else {
        try (InputStream in = Files.newInputStream(file)) {
          metadata = ImageMetadataReader.readMetadata(in, Files.size(file));
        }
      }
      return embedded(metadata);
    } catch (Exception | StackOverflowError e) {
      return Embedded.NONE; // unknown format or damaged metadata: no captions, upright
    }
  }

  private static Embedded embedded(Metadata metadata) {
    int orientation = 1;
    List<NewCaption> captions = new ArrayList<>();
    List<NewLabel> labels = new ArrayList<>();
    xmp(metadata, "xmp", captions, labels);
    for (IptcDirectory iptc : metadata.getDirectoriesOfType(IptcDirectory.class)) {
      add(captions, "iptc", "Caption-Abstract", iptc.getString(IptcDirectory.TAG_CAPTION));
      String[] keywords = iptc.getStringArray(IptcDirectory.TAG_KEYWORDS);
      if (keywords != null) {
        for (String k : keywords) {
          addLabel(labels, "iptc", k);
        }
      }
    }
    for (ExifIFD0Directory ifd0 : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
      add(
          captions,
          "exif",
          "ImageDescription",
          ifd0.getString(ExifIFD0Directory.TAG_IMAGE_DESCRIPTION));
      Integer o = integer(ifd0, ExifIFD0Directory.TAG_ORIENTATION);
      if (o != null && orientation == 1) {
        orientation = o;
      }
    }
    return new Embedded(orientation, captions, labels);
  }

  /** Reads an XMP sidecar file (UTF-8 XML packet). */
  static void xmpSidecar(byte[] bytes, List<NewCaption> captions, List<NewLabel> labels) {
    try {
      Metadata metadata = new Metadata();
      new XmpReader().extract(bytes, metadata);
      xmp(metadata, "xmp", captions, labels);
    } catch (RuntimeException | StackOverflowError e) {
      // a damaged sidecar gives nothing
    }
  }

  private static void xmp(
      Metadata metadata, String source, List<NewCaption> captions, List<NewLabel> labels) {
    for (XmpDirectory dir : metadata.getDirectoriesOfType(XmpDirectory.class)) {
      XMPMeta xmp = dir.getXMPMeta();
      if (xmp == null) {
        continue;
      }
      try {
        add(captions, source, "dc:description", localized(xmp, "description"));
        add(captions, source, "dc:title", localized(xmp, "title"));
        if (xmp.doesPropertyExist(XMPConst.NS_DC, "subject")) {
          int n = xmp.countArrayItems(XMPConst.NS_DC, "subject");
          for (int i = 1; i <= n; i++) {
            XMPProperty item = xmp.getArrayItem(XMPConst.NS_DC, "subject", i);
            if (item != null) {
              addLabel(labels, source, item.getValue());
            }
          }
        }
      } catch (XMPException e) {
        // malformed XMP: keep what was read
      }
    }
  }

  private static String localized(XMPMeta xmp, String property) throws XMPException {
    if (!xmp.doesPropertyExist(XMPConst.NS_DC, property)) {
      return null;
    }
    XMPProperty p = xmp.getLocalizedText(XMPConst.NS_DC, property, null, XMPConst.X_DEFAULT);
    return p == null ? null : p.getValue();
  }

  private static Integer integer(Directory dir, int tag) {
    try {
      return dir.containsTag(tag) ? dir.getInt(tag) : null;
    } catch (Exception e) {
      return null;
    }
  }

  static void add(List<NewCaption> captions, String source, String field, String raw) {
    if (raw == null) {
      return;
    }
    TextDecoding.Text text = TextDecoding.clean(raw);
    if (!text.text().isEmpty()) {
      captions.add(new NewCaption(source, field, text.text(), text.note()));
    }
  }

  static void addLabel(List<NewLabel> labels, String source, String raw) {
    if (raw == null) {
      return;
    }
    String name = raw.replace("\u0000", "").strip();
    if (!name.isEmpty() && name.length() <= 200) {
      labels.add(new NewLabel(source, name));
    }
  }

  /** Reads text and XMP sidecars. */
  static void sidecars(
      List<ImageFileReader.Sidecar> sidecars, List<NewCaption> captions, List<NewLabel> labels) {
    for (ImageFileReader.Sidecar sidecar : sidecars) {
      String name = sidecar.name().toLowerCase(java.util.Locale.ROOT);
      try (InputStream in = sidecar.open()) {
        if (name.endsWith(".xmp")) {
          byte[] bytes = in.readNBytes(XMP_SIDECAR_LIMIT + 1);
          if (bytes.length <= XMP_SIDECAR_LIMIT) {
            xmpSidecar(bytes, captions, labels);
          }
        } else {
          byte[] bytes = in.readNBytes(TextDecoding.MAX_BYTES);
          boolean cut = in.read() >= 0;
          TextDecoding.Text text = TextDecoding.decode(bytes, cut);
          if (!text.text().isEmpty()) {
            captions.add(new NewCaption("sidecar", sidecar.name(), text.text(), text.note()));
          }
        }
      } catch (IOException e) {
        // an unreadable sidecar gives no caption; the image is still indexed
      }
    }
  }

  /** Drops captions whose text an earlier (higher-priority) source already gave. */
  static List<NewCaption> distinct(List<NewCaption> captions) {
    Set<String> seen = new LinkedHashSet<>();
    List<NewCaption> out = new ArrayList<>();
    for (NewCaption c : captions) {
      if (seen.add(c.text())) {
        out.add(c);
      }
    }
    return out;
  }
}
