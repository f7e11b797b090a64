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
      names = "--input-size",
      defaultValue = "48",
      description = "Tessera CNN input side in pixels (default: ${DEFAULT-VALUE}).")
  int inputSize;

  @Option(
      names = "--width",
      defaultValue = "16",
      description = "Tessera CNN channel width (default: ${DEFAULT-VALUE}).")
  int width;

  private PrintWriter out;

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
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
      captions = generatedCaptions(captionCount);
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

  private static List<String> generatedCaptions(int count) {
    String[] words = {
      "grinning", "face", "red", "apple", "steam", "train", "happy", "smile", "cat", "dog",
      "heart", "flag", "mountain", "sun", "rain", "car", "music", "book", "phone", "tree"
    };
    Random random = new Random(2);
    List<String> captions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder s = new StringBuilder();
      int length = 3 + random.nextInt(12);
      for (int w = 0; w < length; w++) {
        s.append(w == 0 ? "" : w == 2 ? ". " : ", ").append(words[random.nextInt(words.length)]);
      }
      captions.add(s.toString());
    }
    return captions;
  }
}
