package app.tessera.spark;

import app.tessera.engine.api.ModelBundle;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.ingest.DecodeException;
import app.tessera.engine.ingest.Fingerprint;
import app.tessera.engine.ingest.ImageDecoder;
import app.tessera.engine.ingest.ImageFileReader;
import app.tessera.engine.ingest.TextDecoding;
import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
import app.tessera.engine.store.StoredImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Executor side: turns {@link Schemas#WORK} rows into {@link Schemas#OUTPUT} rows, a batch at a
 * time: each file is read and decoded by the engine's ingest ({@link ImageFileReader}, as {@code
 * tessera index} does), then the batch's model inputs and captions are encoded and hashed with
 * every bundle (as {@code LibraryCoder} does: images from their stored model-input bytes). A file
 * that cannot be read or decoded becomes a failure row with the reason {@code tessera index} would
 * give; so does a batch whose encoding fails. The job never fails for a file.
 */
final class PartitionCoder implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final JobOptions options;
  private final HadoopFiles files;

  PartitionCoder(JobOptions options, HadoopFiles files) {
    this.options = options;
    this.files = files;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> work) {
    ExecutorModels models = ExecutorModels.get(options.models(), options.device(), files);
    ImageFileReader reader =
        new ImageFileReader(ImageDecoder.Sizes.DEFAULT, options.labelsFromFolders());
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && work.hasNext()) {
          List<Read> batch = new ArrayList<>(options.batch());
          while (batch.size() < options.batch() && work.hasNext()) {
            batch.add(read(work.next(), reader));
          }
          ready.addAll(code(batch, models));
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  /** One file after reading: decoded (with its captions) or failed. */
  private record Read(
      Row work,
      Long size,
      Long mtimeNs,
      String fingerprint,
      ImageDecoder.Decoded decoded,
      List<NewCaption> captions,
      List<NewLabel> labels,
      Map<String, String> attributes,
      String failure) {
    static Read failed(Row work, Long size, Long mtimeNs, String fingerprint, String reason) {
      return new Read(work, size, mtimeNs, fingerprint, null, null, null, null, reason);
    }
  }

  /** Reads and decodes one file, as {@code Indexer} reads a file whose content is new. */
  private Read read(Row work, ImageFileReader reader) {
    Path path = new Path(work.getString(0));
    Long size = work.isNullAt(3) ? null : work.getLong(3);
    Long mtimeNs = work.isNullAt(4) ? null : work.getLong(4);
    String fingerprint = null;
    java.nio.file.Path copy = null;
    try {
      if (size == null) {
        HadoopFiles.Stat stat = files.stat(path);
        size = stat.size();
        mtimeNs = stat.mtimeNs();
      }
      if (size == 0) {
        return Read.failed(work, size, mtimeNs, null, "empty file (0 bytes)");
      }
      java.nio.file.Path local = HadoopFiles.local(path);
      java.nio.file.Path file = local != null ? local : java.nio.file.Path.of(path.getName());
      byte[] bytes = null;
      if (ImageFileReader.readWhole(path.getName(), size)) {
        bytes = files.readAll(path);
        fingerprint = Fingerprint.of(bytes);
      } else {
        file = files.localCopy(path);
        copy = local == null ? file : null;
        fingerprint = Fingerprint.of(file);
      }
      List<ImageFileReader.Sidecar> sidecars = new ArrayList<>();
      for (Object sidecar : work.getList(5)) {
        sidecars.add(sidecar(new Path((String) sidecar)));
      }
      ImageFileReader.Content content = reader.read(file, bytes, sidecars, work.getString(6), true);
      List<NewCaption> captions = new ArrayList<>(content.extracted().captions());
      List<NewLabel> labels = new ArrayList<>(content.extracted().labels());
      Map<String, String> attributes = manifest(work.getList(7), captions, labels);
      return new Read(
          work, size, mtimeNs, fingerprint, content.decoded(), captions, labels, attributes, null);
    } catch (DecodeException
        | IOException
        | OutOfMemoryError
        | RuntimeException
        | StackOverflowError e) {
      return Read.failed(work, size, mtimeNs, fingerprint, reason(e, !work.isNullAt(3)));
    } finally {
      if (copy != null) {
        try {
          Files.deleteIfExists(copy);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  private ImageFileReader.Sidecar sidecar(Path path) {
    return new ImageFileReader.Sidecar() {
      @Override
      public String name() {
        return path.getName();
      }

      @Override
      public InputStream open() throws IOException {
        return files.open(path);
      }
    };
  }

  /**
   * Adds a manifest's captions (source csv) and labels (csv) and returns its attributes, as {@code
   * tessera import-captions} reads them: rows in manifest order, captions cleaned and not repeated,
   * labels ';'-separated, the first row's value of an attribute kept.
   */
  private static Map<String, String> manifest(
      List<Object> rows, List<NewCaption> captions, List<NewLabel> labels) {
    if (rows == null || rows.isEmpty()) {
      return null;
    }
    List<Row> ordered = new ArrayList<>();
    for (Object row : rows) {
      ordered.add((Row) row);
    }
    ordered.sort(Comparator.comparingLong(r -> r.getLong(0)));
    Set<String> texts = new LinkedHashSet<>();
    Set<String> names = new LinkedHashSet<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Row row : ordered) {
      if (!row.isNullAt(1)) {
        TextDecoding.Text text = TextDecoding.clean(row.getString(1));
        if (!text.text().isEmpty() && texts.add(text.text())) {
          captions.add(new NewCaption("csv", null, text.text(), text.note()));
        }
      }
      if (!row.isNullAt(2)) {
        for (String label : row.getString(2).split(";")) {
          String name = label.strip();
          if (!name.isEmpty() && names.add(name)) {
            labels.add(new NewLabel("csv", name));
          }
        }
      }
      if (!row.isNullAt(3)) {
        Map<String, String> values = row.getJavaMap(3);
        values.forEach((key, value) -> attributes.putIfAbsent(key, value == null ? "" : value));
      }
    }
    return attributes;
  }

  /**
   * The order of a file's first manifest row among all manifest rows (null for a listed file): of
   * several files with one content, the earliest row's attributes stand, as {@code import-captions}
   * keeps the first row's.
   */
  private static Long firstManifestRow(Row work) {
    Long first = null;
    for (Object row : work.getList(7)) {
      long n = ((Row) row).getLong(0);
      first = first == null ? n : Math.min(first, n);
    }
    return first;
  }

  /**
   * The reason a file failed, in {@code tessera index}'s words; a file named by a manifest but not
   * there ({@code listed} false) is "no such file".
   */
  static String reason(Throwable e, boolean listed) {
    if (e instanceof FileNotFoundException || e instanceof java.nio.file.NoSuchFileException) {
      return listed ? "vanished while indexing" : "no such file";
    }
    if (e instanceof AccessControlException) {
      return "permission denied";
    }
    return ImageFileReader.failure(e);
  }

  /** Encodes and hashes the decoded files of a batch; returns the batch's output rows. */
  private List<Row> code(List<Read> batch, ExecutorModels models) {
    List<Read> decoded = batch.stream().filter(r -> r.failure() == null).toList();
    List<StoredImage> modelInputs = decoded.stream().map(r -> r.decoded().modelInput()).toList();
    List<String> texts = new ArrayList<>();
    for (Read r : decoded) {
      r.captions().forEach(c -> texts.add(c.text()));
    }
    Coded coded;
    try {
      coded = encode(models.bundles(), modelInputs, texts);
    } catch (RuntimeException | OutOfMemoryError e) {
      String reason = "encoding failed: " + e;
      List<Row> rows = new ArrayList<>();
      for (Read r : batch) {
        rows.add(
            failureRow(
                r.failure() == null
                    ? Read.failed(r.work(), r.size(), r.mtimeNs(), r.fingerprint(), reason)
                    : r));
      }
      return rows;
    }
    List<Row> rows = new ArrayList<>(batch.size());
    int image = 0;
    int text = 0;
    for (Read r : batch) {
      if (r.failure() != null) {
        rows.add(failureRow(r));
        continue;
      }
      List<Row> captions = new ArrayList<>();
      for (NewCaption c : r.captions()) {
        captions.add(
            RowFactory.create(
                c.source(),
                c.field(),
                c.text(),
                c.note(),
                scala(coded.textFeatures(text)),
                scala(coded.textCodes(text))));
        text++;
      }
      List<Row> labels = new ArrayList<>();
      for (NewLabel l : r.labels()) {
        labels.add(RowFactory.create(l.source(), l.name()));
      }
      ImageDecoder.Decoded d = r.decoded();
      rows.add(
          RowFactory.create(
              r.work().getString(0),
              r.work().getString(1),
              r.work().getString(2),
              r.size(),
              r.mtimeNs(),
              r.work().getLong(8),
              r.fingerprint(),
              d.format(),
              d.width(),
              d.height(),
              stored(d.thumbnail()),
              d.thumbnail().sameAs(d.modelInput()) ? null : stored(d.modelInput()),
              scala(captions),
              scala(labels),
              scala(r.attributes()),
              firstManifestRow(r.work()),
              scala(coded.imageFeatures(image)),
              scala(coded.imageCodes(image)),
              null,
              Schemas.OK));
      image++;
    }
    return rows;
  }

  /** Spark's row encoder takes Scala collections (arrays of primitives as they are). */
  private static scala.collection.immutable.Seq<Row> scala(List<Row> rows) {
    return CollectionConverters.asScala(rows).toList();
  }

  private static <V> scala.collection.Map<String, V> scala(Map<String, V> map) {
    return map == null ? null : CollectionConverters.asScala(map);
  }

  private static Row stored(StoredImage image) {
    return RowFactory.create(image.width(), image.height(), image.format(), image.bytes());
  }

  private static Row failureRow(Read r) {
    return RowFactory.create(
        r.work().getString(0),
        r.work().getString(1),
        r.work().getString(2),
        r.size(),
        r.mtimeNs(),
        r.work().getLong(8),
        r.fingerprint(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        r.failure(),
        Schemas.FAILED);
  }

  /** Features by encoder id and codes by bundle name, for the images and the texts of a batch. */
  private final class Coded {
    final Map<String, float[][]> imageFeatures = new LinkedHashMap<>();
    final Map<String, float[][]> textFeatures = new LinkedHashMap<>();
    final Map<String, long[]> imageCodes = new LinkedHashMap<>();
    final Map<String, long[]> textCodes = new LinkedHashMap<>();
    final Map<String, Integer> words = new HashMap<>();

    Map<String, float[]> imageFeatures(int i) {
      return options.features() ? row(imageFeatures, i) : null;
    }

    Map<String, float[]> textFeatures(int i) {
      return options.features() ? row(textFeatures, i) : null;
    }

    Map<String, long[]> imageCodes(int i) {
      return codes(imageCodes, i);
    }

    Map<String, long[]> textCodes(int i) {
      return codes(textCodes, i);
    }

    private static Map<String, float[]> row(Map<String, float[][]> features, int i) {
      Map<String, float[]> out = new LinkedHashMap<>();
      features.forEach((encoder, rows) -> out.put(encoder, rows[i]));
      return out;
    }

    private Map<String, long[]> codes(Map<String, long[]> codes, int i) {
      Map<String, long[]> out = new LinkedHashMap<>();
      codes.forEach(
          (model, packed) -> {
            int w = words.get(model);
            out.put(model, Arrays.copyOfRange(packed, i * w, (i + 1) * w));
          });
      return out;
    }
  }

  /**
   * Runs the networks through the bundle's own coding path (as a library's coding does: images from
   * their stored model-input bytes): each distinct encoder once, then every bundle's hashing model.
   * A network serves one call at a time (it is shared by the tasks of this JVM): each call holds
   * its lock.
   */
  private Coded encode(
      List<ModelBundle> bundles, List<StoredImage> modelInputs, List<String> texts) {
    Coded coded = new Coded();
    for (ModelBundle bundle : bundles) {
      String name = bundle.manifest().name();
      String imageEncoder = bundle.imageEncoder().id();
      String textEncoder = bundle.textEncoder().id();
      if (!coded.imageFeatures.containsKey(imageEncoder)) {
        synchronized (bundle.imageEncoder()) {
          coded.imageFeatures.put(imageEncoder, bundle.encodeModelInputs(modelInputs));
        }
      }
      if (!coded.textFeatures.containsKey(textEncoder)) {
        synchronized (bundle.textEncoder()) {
          coded.textFeatures.put(textEncoder, bundle.encodeTexts(texts));
        }
      }
      coded.words.put(name, BinaryCodes.wordsPerCode(bundle.hashModel().bits()));
      synchronized (bundle.hashModel()) {
        coded.imageCodes.put(name, bundle.hashImages(coded.imageFeatures.get(imageEncoder)));
        coded.textCodes.put(name, bundle.hashTexts(coded.textFeatures.get(textEncoder)));
      }
    }
    return coded;
  }
}
