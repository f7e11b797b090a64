package app.tessera.engine.encode;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import app.tessera.engine.Device;
import app.tessera.engine.train.DjlRuntime;
import app.tessera.engine.train.EarlyStopping;
import app.tessera.engine.train.TrainingListener;
import app.tessera.engine.train.Weights;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains {@link TesseraCnn} from scratch, contrastively against frozen text features of each
 * image's caption (symmetric InfoNCE, as in CLIP), so that images land in the text encoder's space
 * without labels.
 *
 * <p>Rows that share a caption (the same concept drawn in several styles) are all positives of each
 * other, never negatives. A validation part is held out of the given rows by caption group (so its
 * concepts are unseen, like query rows) and drives early stopping and the choice of the returned
 * weights; callers must pass training rows only, never query rows.
 */
public final class TesseraCnnTrainer {
  private TesseraCnnTrainer() {}

  /**
   * Training settings.
   *
   * @param inputSize the network's square input side (e.g. 64 for EmojiXM, 96 for photos)
   * @param width channel width of the first stage ({@link TesseraCnn})
   * @param batchSize rows per step (more rows, more negatives)
   * @param maxEpochs upper bound on passes over the training part
   * @param patience epochs without a better validation score before stopping
   * @param learningRate AdamW's peak rate (cosine decay to 1% over {@code maxEpochs})
   * @param temperature the InfoNCE temperature (logits are cosines divided by it)
   * @param labelWeight weight of a multi-label term (a linear classifier on the unit embedding,
   *     binary cross-entropy) added to the InfoNCE loss when rows carry labels; 0 trains on
   *     captions alone. The classifier is dropped after training: the encoder's output is unchanged
   *     in form, only its space is shaped by the labels too
   * @param validationFraction share of caption groups held out for validation
   * @param timeBudget wall-clock limit: after timing the first epoch, the run plans only the epochs
   *     that fit (the learning-rate schedule follows the plan), and it stops after any epoch that
   *     crosses the limit
   * @param seed seeds initialisation, shuffling, augmentation and the validation split
   * @param device where to train
   */
  public record Options(
      int inputSize,
      int width,
      int batchSize,
      int maxEpochs,
      int patience,
      double learningRate,
      double temperature,
      double labelWeight,
      double validationFraction,
      Duration timeBudget,
      long seed,
      Device device) {
    public Options {
      Objects.requireNonNull(timeBudget, "timeBudget");
      Objects.requireNonNull(device, "device");
      if (batchSize < 2 || maxEpochs < 1 || patience < 1) {
        throw new IllegalArgumentException("batchSize >= 2, maxEpochs >= 1 and patience >= 1");
      }
      if (!(labelWeight >= 0)) {
        throw new IllegalArgumentException("labelWeight must be >= 0");
      }
      if (!(validationFraction >= 0 && validationFraction < 1)) {
        throw new IllegalArgumentException("validationFraction must be in [0, 1)");
      }
    }

    /**
     * The settings chosen on EmojiXM's validation split (64 px icons read at 48 px: at 64 px the
     * 10-minute budget of a 2-core CPU fits about half the epochs and validation was lower).
     */
    public static Options defaults() {
      return new Options(
          48, 16, 128, 30, 5, 2e-3, 0.05, 0, 0.1, Duration.ofMinutes(10), 7L, Device.AUTO);
    }

    public Options withLabelWeight(double weight) {
      return new Options(
          inputSize,
          width,
          batchSize,
          maxEpochs,
          patience,
          learningRate,
          temperature,
          weight,
          validationFraction,
          timeBudget,
          seed,
          device);
    }

    public Options withTimeBudget(Duration budget) {
      return new Options(
          inputSize,
          width,
          batchSize,
          maxEpochs,
          patience,
          learningRate,
          temperature,
          labelWeight,
          validationFraction,
          budget,
          seed,
          device);
    }

    public Options withDevice(Device newDevice) {
      return new Options(
          inputSize,
          width,
          batchSize,
          maxEpochs,
          patience,
          learningRate,
          temperature,
          labelWeight,
          validationFraction,
          timeBudget,
          seed,
          newDevice);
    }
  }

  /**
   * The outcome of a run.
   *
   * @param encoder the trained encoder with the best validation weights (caller closes it)
   * @param epochLosses mean training loss per epoch
   * @param validationScores validation retrieval per epoch (mean of image→text and text→image mAP,
   *     relevant = same caption); empty when nothing was held out
   * @param bestEpoch the 1-based epoch whose weights were kept
   * @param seconds wall-clock training time
   */
  public record Result(
      TesseraCnnImageEncoder encoder,
      List<Double> epochLosses,
      List<Double> validationScores,
      int bestEpoch,
      double seconds,
      int trainRows,
      int validationRows) {
    public double bestValidationScore() {
      return validationScores.isEmpty() ? Double.NaN : validationScores.get(bestEpoch - 1);
    }
  }

  /**
   * Trains on paired rows: {@code images.get(i)} is described by caption group {@code
   * groups.get(i)} whose frozen text features are {@code textFeatures[i]} (unit length).
   *
   * @param textEncoderId the id of the text encoder that produced {@code textFeatures}
   */
  public static Result train(
      List<BufferedImage> images,
      float[][] textFeatures,
      List<String> groups,
      String textEncoderId,
      Options options,
      TrainingListener listener) {
    return train(images, textFeatures, groups, List.of(), textEncoderId, options, listener);
  }

  /**
   * Like {@link #train(List, float[][], List, String, Options, TrainingListener)}, with the labels
   * of each row ({@code labels.get(i)}, possibly empty; an empty list for unlabelled data) for the
   * multi-label term weighted by {@link Options#labelWeight()}. Rows without labels only take part
   * in the caption term.
   */
  public static Result train(
      List<BufferedImage> images,
      float[][] textFeatures,
      List<String> groups,
      List<? extends Collection<String>> labels,
      String textEncoderId,
      Options options,
      TrainingListener listener) {
    int n = images.size();
    if (textFeatures.length != n || groups.size() != n) {
      throw new IllegalArgumentException(
          "images, text features and groups must have one row per pair");
    }
    if (!labels.isEmpty() && labels.size() != n) {
      throw new IllegalArgumentException("labels must be empty or have one entry per pair");
    }
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 image-caption pairs to train, got " + n);
    }
    int size = options.inputSize();
    List<byte[]> planar = new ArrayList<>(n);
    for (BufferedImage image : images) {
      planar.add(ModelInputImages.toPlanarBytes(ModelInputImages.toSquareRgb(image, size)));
    }
    int[] groupIds = groupIds(groups);
    boolean[] validation = holdOut(groups, options.validationFraction(), options.seed());
    int[] trainRows = rows(validation, false);
    int[] valRows = rows(validation, true);
    if (trainRows.length < 2) {
      throw new IllegalArgumentException("too few training rows left after the validation split");
    }
    LabelMatrix labelMatrix =
        options.labelWeight() > 0 ? LabelMatrix.of(labels, trainRows) : LabelMatrix.NONE;
    return new Run(
            planar, textFeatures, groupIds, labelMatrix, trainRows, valRows, textEncoderId, options)
        .execute(listener);
  }

  /**
   * Rows' labels as 0/1 vectors over the labels seen on training rows; {@code known[i]} is false
   * for a row without any of them (left out of the label term).
   */
  record LabelMatrix(List<String> names, float[][] rows, boolean[] known) {
    static final LabelMatrix NONE = new LabelMatrix(List.of(), new float[0][], new boolean[0]);

    static LabelMatrix of(List<? extends Collection<String>> labels, int[] trainRows) {
      if (labels.isEmpty()) {
        return NONE;
      }
      java.util.SortedSet<String> seen = new java.util.TreeSet<>();
      for (int r : trainRows) {
        seen.addAll(labels.get(r));
      }
      if (seen.isEmpty()) {
        return NONE;
      }
      List<String> names = List.copyOf(seen);
      Map<String, Integer> index = new HashMap<>();
      for (String name : names) {
        index.put(name, index.size());
      }
      float[][] rows = new float[labels.size()][names.size()];
      boolean[] known = new boolean[labels.size()];
      for (int i = 0; i < rows.length; i++) {
        for (String label : labels.get(i)) {
          Integer k = index.get(label);
          if (k != null) {
            rows[i][k] = 1f;
            known[i] = true;
          }
        }
      }
      return new LabelMatrix(names, rows, known);
    }

    boolean active() {
      return !names.isEmpty();
    }
  }

  /** Maps each caption to a dense integer id. */
  private static int[] groupIds(List<String> groups) {
    Map<String, Integer> ids = new HashMap<>();
    int[] out = new int[groups.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.computeIfAbsent(groups.get(i), g -> ids.size());
    }
    return out;
  }

  /** Holds out whole caption groups, chosen by a seeded hash so the split is reproducible. */
  static boolean[] holdOut(List<String> groups, double fraction, long seed) {
    boolean[] out = new boolean[groups.size()];
    if (fraction <= 0) {
      return out;
    }
    for (int i = 0; i < out.length; i++) {
      long h =
          new SplittableRandom(seed ^ groups.get(i).hashCode() * 0x9E3779B97F4A7C15L).nextLong();
      out[i] = Math.floorMod(h, 10_000) < fraction * 10_000;
    }
    return out;
  }

  private static int[] rows(boolean[] mask, boolean wanted) {
    return java.util.stream.IntStream.range(0, mask.length)
        .filter(i -> mask[i] == wanted)
        .toArray();
  }

  /**
   * Mean binary cross-entropy of {@code logits} against 0/1 {@code targets} over the rows where
   * {@code mask} is 1, in the stable form max(z, 0) − z·y + log(1 + e^−|z|).
   */
  static NDArray binaryCrossEntropy(NDArray logits, NDArray targets, NDArray mask) {
    NDArray perValue =
        logits.maximum(0f).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1f).log());
    NDArray perRow = perValue.mean(new int[] {1}, true).mul(mask);
    return perRow.sum().div(mask.sum().maximum(1f));
  }

  /** One training run's state. */
  private static final class Run {
    private final List<byte[]> planar;
    private final float[][] text;
    private final int[] groups;
    private final LabelMatrix labels;
    private final int[] trainRows;
    private final int[] valRows;
    private final String textEncoderId;
    private final Options options;
    private final TesseraCnn architecture;
    private final int pixels;

    Run(
        List<byte[]> planar,
        float[][] text,
        int[] groups,
        LabelMatrix labels,
        int[] trainRows,
        int[] valRows,
        String textEncoderId,
        Options options) {
      this.planar = planar;
      this.text = text;
      this.groups = groups;
      this.labels = labels;
      this.trainRows = trainRows;
      this.valRows = valRows;
      this.textEncoderId = textEncoderId;
      this.options = options;
      this.architecture = new TesseraCnn(options.inputSize(), options.width(), text[0].length);
      this.pixels = 3 * options.inputSize() * options.inputSize();
    }

    Result execute(TrainingListener listener) {
      long started = System.nanoTime();
      long deadline = started + options.timeBudget().toNanos();
      DjlRuntime.pytorch().setRandomSeed((int) options.seed());
      Model model = TesseraCnnImageEncoder.newModel(architecture, options.device());
      Block encoderBlock = model.getBlock();
      if (labels.active()) {
        model.setBlock(
            new LabelHeadNet(
                encoderBlock, labels.names().size(), (float) (1 / options.temperature())));
      }
      boolean handedOver = false;
      try {
        int batch = Math.min(options.batchSize(), trainRows.length);
        int stepsPerEpoch = trainRows.length / batch;
        // Cosine decay to 1% over the planned epochs. The plan starts at maxEpochs and shrinks,
        // as epochs are timed, to what fits the time budget, so the rate still anneals on a slow
        // machine instead of being cut off near its peak.
        int[] plannedEpochs = {options.maxEpochs()};
        float peak = (float) options.learningRate();
        Tracker rate =
            update -> {
              double progress =
                  Math.min(1.0, update / (double) Math.max(1, plannedEpochs[0] * stepsPerEpoch));
              return (float) (peak * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * progress))));
            };
        DefaultTrainingConfig config =
            new DefaultTrainingConfig(Loss.l2Loss()) // unused: the loss is computed below
                .optOptimizer(
                    Optimizer.adamW().optLearningRateTracker(rate).optWeightDecays(1e-4f).build())
                .optDevices(new ai.djl.Device[] {model.getNDManager().getDevice()});
        List<Double> losses = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        byte[] bestWeights = null;
        EarlyStopping stopping = new EarlyStopping(options.patience());
        SplittableRandom random = new SplittableRandom(options.seed());
        Augmentation augmentation = new Augmentation(options.inputSize());
        try (Trainer trainer = model.newTrainer(config)) {
          trainer.initialize(architecture.inputShape(batch));
          for (int epoch = 1; epoch <= plannedEpochs[0]; epoch++) {
            int[] order = trainRows.clone();
            shuffle(order, random);
            double lossSum = 0;
            for (int step = 0; step < stepsPerEpoch; step++) {
              int[] rows = Arrays.copyOfRange(order, step * batch, (step + 1) * batch);
              lossSum += step(trainer, model, rows, augmentation, random);
            }
            double loss = lossSum / stepsPerEpoch;
            losses.add(loss);
            double score = valRows.length > 1 ? validate(trainer, model) : -loss;
            if (valRows.length > 1) {
              scores.add(score);
            }
            if (stopping.record(epoch, score)) {
              bestWeights = Weights.snapshot(encoderBlock);
            }
            // Re-plan from the mean epoch time so far (validation included): the schedule then
            // ends when the budget does, even when the machine slows down mid-run.
            double meanEpochNanos = (System.nanoTime() - started) / (double) epoch;
            int fits = (int) Math.floor((deadline - started) / Math.max(1.0, meanEpochNanos));
            plannedEpochs[0] = Math.max(epoch, Math.min(options.maxEpochs(), fits));
            listener.epochEnded(
                epoch, plannedEpochs[0], loss, valRows.length > 1 ? score : Double.NaN);
            if (stopping.exhausted() || System.nanoTime() > deadline) {
              break;
            }
          }
        }
        model.setBlock(encoderBlock); // the label classifier, if any, is training-only
        if (bestWeights != null) {
          Weights.restore(encoderBlock, model.getNDManager(), bestWeights);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("loss", "symmetric InfoNCE against frozen text features");
        summary.put("temperature", options.temperature());
        if (labels.active()) {
          summary.put(
              "labels",
              "binary cross-entropy over "
                  + labels.names().size()
                  + " labels, weight "
                  + options.labelWeight());
        }
        summary.put("optimizer", "AdamW lr " + options.learningRate() + " cosine, wd 1e-4");
        summary.put("batchSize", batch);
        summary.put("epochs", losses.size());
        summary.put("bestEpoch", stopping.bestEpoch());
        summary.put("validationScore", valRows.length > 1 ? stopping.bestScore() : Double.NaN);
        summary.put("trainRows", trainRows.length);
        summary.put("validationRows", valRows.length);
        summary.put("seed", options.seed());
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        TesseraCnnImageEncoder encoder =
            TesseraCnnImageEncoder.of(model, architecture, textEncoderId, summary);
        handedOver = true;
        return new Result(
            encoder,
            losses,
            scores,
            stopping.bestEpoch(),
            seconds,
            trainRows.length,
            valRows.length);
      } finally {
        if (!handedOver) {
          model.close();
        }
      }
    }

    /** One optimisation step on {@code rows}; returns the loss. */
    private double step(
        Trainer trainer,
        Model model,
        int[] rows,
        Augmentation augmentation,
        SplittableRandom random) {
      int b = rows.length;
      int d = architecture.dimension();
      float[] input = new float[b * pixels];
      float[] texts = new float[b * d];
      float[] targets = new float[b * b];
      int labelCount = labels.names().size();
      float[] labelTargets = new float[b * labelCount];
      float[] labelMask = new float[b];
      for (int i = 0; i < b; i++) {
        if (labels.active() && labels.known()[rows[i]]) {
          System.arraycopy(labels.rows()[rows[i]], 0, labelTargets, i * labelCount, labelCount);
          labelMask[i] = 1f;
        }
        augmentation.apply(planar.get(rows[i]), random, input, i * pixels);
        System.arraycopy(text[rows[i]], 0, texts, i * d, d);
        int positives = 0;
        for (int j = 0; j < b; j++) {
          if (groups[rows[i]] == groups[rows[j]]) {
            positives++;
          }
        }
        for (int j = 0; j < b; j++) {
          if (groups[rows[i]] == groups[rows[j]]) {
            targets[i * b + j] = 1f / positives;
          }
        }
      }
      try (NDManager scope = model.getNDManager().newSubManager()) {
        NDArray x = scope.create(FloatBuffer.wrap(input), architecture.inputShape(b));
        NDArray t = scope.create(FloatBuffer.wrap(texts), new Shape(b, d));
        NDArray target = scope.create(FloatBuffer.wrap(targets), new Shape(b, b));
        float value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDList outputs = trainer.forward(new NDList(x));
          NDArray embedding = outputs.get(0);
          NDArray unit = embedding.div(embedding.norm(new int[] {1}, true).add(1e-8f));
          NDArray logits = unit.matMul(t.transpose()).div((float) options.temperature());
          // The target matrix is symmetric (same-caption pairs), so it serves both directions.
          NDArray imageToText = logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
          NDArray textToImage =
              logits.transpose().logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
          NDArray loss = imageToText.add(textToImage).div(2f);
          if (labels.active()) {
            NDArray y = scope.create(FloatBuffer.wrap(labelTargets), new Shape(b, labelCount));
            NDArray mask = scope.create(FloatBuffer.wrap(labelMask), new Shape(b, 1));
            loss =
                loss.add(
                    binaryCrossEntropy(outputs.get(1), y, mask).mul((float) options.labelWeight()));
          }
          collector.backward(loss);
          value = loss.getFloat();
        }
        trainer.step();
        return value;
      }
    }

    /** Mean of image→text and text→image mAP on the validation rows (relevant = same caption). */
    private double validate(Trainer trainer, Model model) {
      int n = valRows.length;
      float[][] imageFeatures = new float[n][];
      int chunk = 256;
      for (int start = 0; start < n; start += chunk) {
        int m = Math.min(chunk, n - start);
        float[] input = new float[m * pixels];
        for (int i = 0; i < m; i++) {
          byte[] p = planar.get(valRows[start + i]);
          for (int k = 0; k < pixels; k++) {
            input[i * pixels + k] = TesseraCnn.normalise(p[k] & 0xff);
          }
        }
        try (NDManager scope = model.getNDManager().newSubManager()) {
          NDArray x = scope.create(FloatBuffer.wrap(input), architecture.inputShape(m));
          float[] y = trainer.evaluate(new NDList(x)).get(0).toFloatArray();
          float[][] rows = TesseraCnnImageEncoder.unitRows(y, m, architecture.dimension());
          System.arraycopy(rows, 0, imageFeatures, start, m);
        }
      }
      float[][] textFeatures = new float[n][];
      int[] valGroups = new int[n];
      for (int i = 0; i < n; i++) {
        textFeatures[i] = text[valRows[i]];
        valGroups[i] = groups[valRows[i]];
      }
      return (FeatureRetrieval.meanAveragePrecision(imageFeatures, textFeatures, valGroups)
              + FeatureRetrieval.meanAveragePrecision(textFeatures, imageFeatures, valGroups))
          / 2;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
      for (int i = a.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
      }
    }
  }
}
