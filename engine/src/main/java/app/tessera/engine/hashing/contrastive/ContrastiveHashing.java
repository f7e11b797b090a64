package app.tessera.engine.hashing.contrastive;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import app.tessera.engine.Device;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashLosses;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.TrainingListener;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.hashing.Validation;
import app.tessera.engine.train.TrainingRuntime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Label-free pair-contrastive cross-modal hashing ({@code --method contrastive}), in the spirit of
 * DJSRH (Su et al., ICCV 2019) and UCCH (Hu et al., TPAMI 2023): it learns K-bit codes from
 * image-caption pairs alone, so a library without labels still gets codes.
 *
 * <p>Design (Tessera's own): each modality's L2-normalised feature goes through its own MLP head
 * ({@link HashHeads}) to K tanh outputs h. The loss of a batch is
 *
 * <ul>
 *   <li>a symmetric cross-modal InfoNCE on the cosine similarities of h_image and h_text at
 *       temperature τ, where every pair whose caption is identical to the anchor's (same text
 *       features, e.g. one emoji drawn in several styles) counts as a positive (soft targets spread
 *       evenly over them), so duplicates are not pushed apart;
 *   <li>plus {@code structure} × the mean squared difference between the codes' cosine similarities
 *       (image-text, image-image, text-text) and the batch's feature affinity (the mean of both
 *       modalities' input cosine similarities × {@code affinityScale}, clipped to [-1, 1]), as in
 *       DJSRH: it carries the encoders' semantic neighbourhoods, not only the exact pairs, into the
 *       codes;
 *   <li>plus {@code quantization} × mean((|h| − 1)²), pulling outputs to ±1 so that signs lose
 *       little;
 *   <li>plus {@code balance} × (mean over bits of the squared batch mean of each bit + mean squared
 *       off-identity entry of hᵀh / B), so bits are balanced and decorrelated.
 * </ul>
 *
 * Adam, shuffled mini-batches; after every epoch the codes of the validation split (held out of the
 * training rows) are scored by {@link Validation#score}; training stops after {@code patience}
 * epochs without improvement and keeps the best epoch's weights. Settings: {@link
 * ContrastiveSettings}.
 *
 * <p>Checkpoints: with {@link TrainingOptions#checkpointDir()} set, the weights of the last and of
 * the best epoch and the loop's state are written there after every epoch, and a later run with the
 * same settings resumes after the last finished epoch (Adam's moments restart).
 */
public final class ContrastiveHashing implements HashingMethod {
  public static final String NAME = "contrastive";

  /** The most epochs when {@link TrainingOptions#epochs()} is 0 (early stopping ends sooner). */
  public static final int DEFAULT_EPOCHS = 60;

  private static final String CHECKPOINT_FILE = "checkpoint.json";
  private static final String LAST_PARAMS = "last.params";
  private static final String BEST_PARAMS = "best.params";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean needsLabels() {
    return false;
  }

  @Override
  public HashModel train(
      FeatureSet train, FeatureSet validation, TrainingOptions options, TrainingListener listener) {
    if (train.size() < 2) {
      throw new IllegalArgumentException("contrastive hashing needs at least 2 training pairs");
    }
    ContrastiveSettings settings = ContrastiveSettings.from(options);
    ai.djl.Device device = TrainingRuntime.start(options.device(), options.seed());
    int bits = options.bits();
    int imageDim = train.imageDim();
    int textDim = train.textDim();
    float[][] images =
        ContrastiveHashModel.normalisedRows(train.images(), 0, train.size(), imageDim, "image");
    float[][] texts =
        ContrastiveHashModel.normalisedRows(train.texts(), 0, train.size(), textDim, "text");
    int[] groups = Validation.captionGroups(train.texts());

    HashHeads heads = new HashHeads(bits, settings.hidden(), settings.dropout());
    Model model = Model.newInstance("contrastive-" + bits, device, "PyTorch");
    boolean kept = false;
    try {
      model.setBlock(heads);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss()) // unused: the loss is computed below
              .optOptimizer(
                  Optimizer.adam()
                      .optLearningRateTracker(Tracker.fixed(settings.learningRate()))
                      .build())
              .optDevices(new ai.djl.Device[] {device});
      ContrastiveHashModel.Metadata metadata =
          new ContrastiveHashModel.Metadata(
              NAME,
              1,
              bits,
              imageDim,
              textDim,
              settings.asParams(),
              options.seed(),
              0,
              0,
              Double.NaN);
      ContrastiveHashModel result;
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, imageDim), new Shape(1, textDim));
        ContrastiveHashModel scorer = new ContrastiveHashModel(model, heads, metadata);
        Progress progress = Progress.resume(options, metadata, heads, model.getNDManager());
        int epoch = progress.epochsDone;
        int maxEpochs = options.epochs() > 0 ? options.epochs() : DEFAULT_EPOCHS;
        while (epoch < maxEpochs && progress.sinceBest < settings.patience()) {
          epoch++;
          double loss =
              runEpoch(
                  trainer, images, texts, groups, settings, options.seed() * 1_000_003L + epoch);
          double score = Validation.score(scorer, validation);
          boolean better =
              Double.isNaN(progress.bestScore) || score > progress.bestScore || Double.isNaN(score);
          if (better) {
            progress.bestScore = score;
            progress.bestEpoch = epoch;
            progress.best = ContrastiveHashModel.snapshot(heads);
            progress.sinceBest = 0;
          } else {
            progress.sinceBest++;
          }
          progress.epochsDone = epoch;
          progress.save(options, metadata, heads);
          listener.epochEnded(epoch, maxEpochs, loss, score);
        }
        if (progress.best != null) {
          ContrastiveHashModel.restore(heads, model.getNDManager(), progress.best);
        }
        result =
            scorer.withMetadata(
                new ContrastiveHashModel.Metadata(
                    NAME,
                    1,
                    bits,
                    imageDim,
                    textDim,
                    settings.asParams(),
                    options.seed(),
                    progress.epochsDone,
                    progress.bestEpoch,
                    progress.bestScore));
      }
      kept = true;
      return result;
    } finally {
      if (!kept) {
        model.close();
      }
    }
  }

  /** One pass over shuffled batches; returns the mean batch loss. */
  private static double runEpoch(
      Trainer trainer,
      float[][] images,
      float[][] texts,
      int[] groups,
      ContrastiveSettings settings,
      long shuffleSeed) {
    int n = images.length;
    int[] order = permutation(n, new Random(shuffleSeed));
    int batchSize = Math.min(settings.batchSize(), n);
    double lossSum = 0;
    int batches = 0;
    // Drop a trailing batch smaller than 2: InfoNCE needs negatives. Shuffling varies it.
    for (int start = 0; start + 2 <= n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      int b = end - start;
      float[][] batchImages = new float[b][];
      float[][] batchTexts = new float[b][];
      float[] targets = new float[b * b];
      for (int i = 0; i < b; i++) {
        batchImages[i] = images[order[start + i]];
        batchTexts[i] = texts[order[start + i]];
      }
      for (int i = 0; i < b; i++) {
        int positives = 0;
        for (int j = 0; j < b; j++) {
          if (groups[order[start + i]] == groups[order[start + j]]) {
            positives++;
          }
        }
        for (int j = 0; j < b; j++) {
          if (groups[order[start + i]] == groups[order[start + j]]) {
            targets[i * b + j] = 1f / positives;
          }
        }
      }
      try (NDManager batch = trainer.getManager().newSubManager()) {
        NDArray x = batch.create(batchImages);
        NDArray t = batch.create(batchTexts);
        NDArray target = batch.create(targets, new Shape(b, b));
        // The feature neighbourhood (DJSRH's joint-semantics affinity): mean of both modalities'
        // cosine similarities, scaled and clipped; the codes' cosines should reproduce it.
        NDArray affinity =
            x.matMul(x.transpose())
                .add(t.matMul(t.transpose()))
                .mul(0.5f * settings.affinityScale())
                .clip(-1f, 1f);
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(x, t));
          NDArray loss = loss(out.get(0), out.get(1), target, affinity, settings);
          collector.backward(loss);
          lossSum += loss.getFloat();
        }
        trainer.step();
      }
      batches++;
    }
    return batches == 0 ? Double.NaN : lossSum / batches;
  }

  private static NDArray loss(
      NDArray hImage,
      NDArray hText,
      NDArray target,
      NDArray affinity,
      ContrastiveSettings settings) {
    NDArray zImage = HashLosses.normalizeRows(hImage);
    NDArray zText = HashLosses.normalizeRows(hText);
    NDArray contrastive = HashLosses.softInfoNce(hImage, hText, target, settings.temperature());

    NDArray quantization =
        hImage.abs().sub(1f).square().mean().add(hText.abs().sub(1f).square().mean());
    NDArray balance =
        HashLosses.balance(hImage)
            .add(HashLosses.balance(hText))
            .add(HashLosses.decorrelation(hImage))
            .add(HashLosses.decorrelation(hText));
    NDArray structure =
        zImage
            .matMul(zText.transpose())
            .sub(affinity)
            .square()
            .mean()
            .add(zImage.matMul(zImage.transpose()).sub(affinity).square().mean())
            .add(zText.matMul(zText.transpose()).sub(affinity).square().mean());
    return contrastive
        .add(structure.mul(settings.structure()))
        .add(quantization.mul(settings.quantization()))
        .add(balance.mul(settings.balance()));
  }

  private static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  @Override
  public String settingsKey(TrainingOptions options) {
    return "v1" + ContrastiveSettings.from(options).asParams();
  }

  @Override
  public HashModel load(Path dir) throws IOException {
    return ContrastiveHashModel.load(dir, TrainingRuntime.device(Device.AUTO));
  }

  /** The early-stopping state, and its checkpoint on disk. */
  private static final class Progress {
    int epochsDone;
    int bestEpoch;
    double bestScore = Double.NaN;
    int sinceBest;
    byte[] best;

    /** A fresh state, or the checkpoint's when one with the same settings exists. */
    static Progress resume(
        TrainingOptions options,
        ContrastiveHashModel.Metadata metadata,
        HashHeads heads,
        NDManager manager) {
      Progress progress = new Progress();
      Path dir = options.checkpointDir();
      if (dir == null || !Files.isRegularFile(dir.resolve(CHECKPOINT_FILE))) {
        return progress;
      }
      try {
        JsonNode state = ContrastiveHashModel.JSON.readTree(dir.resolve(CHECKPOINT_FILE).toFile());
        if (!state.get("key").asText().equals(key(metadata))) {
          return progress; // another run's checkpoint: start afresh (it will be overwritten)
        }
        ContrastiveHashModel.readParams(heads, manager, dir.resolve(LAST_PARAMS));
        progress.epochsDone = state.get("epochsDone").asInt();
        progress.bestEpoch = state.get("bestEpoch").asInt();
        progress.bestScore = state.get("bestScore").asDouble(Double.NaN);
        progress.sinceBest = state.get("sinceBest").asInt();
        progress.best = Files.readAllBytes(dir.resolve(BEST_PARAMS));
        return progress;
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot resume from the checkpoint in " + dir + " (delete it to start afresh): " + e,
            e);
      }
    }

    void save(TrainingOptions options, ContrastiveHashModel.Metadata metadata, HashHeads heads) {
      Path dir = options.checkpointDir();
      if (dir == null) {
        return;
      }
      try {
        Files.createDirectories(dir);
        ContrastiveHashModel.writeParams(heads, dir.resolve(LAST_PARAMS));
        Path bestTmp = dir.resolve(BEST_PARAMS + ".tmp");
        Files.write(bestTmp, best);
        Files.move(
            bestTmp, dir.resolve(BEST_PARAMS), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ObjectNode state = ContrastiveHashModel.JSON.createObjectNode();
        state.put("key", key(metadata));
        state.put("epochsDone", epochsDone);
        state.put("bestEpoch", bestEpoch);
        state.put("bestScore", bestScore);
        state.put("sinceBest", sinceBest);
        Path tmp = dir.resolve(CHECKPOINT_FILE + ".tmp");
        ContrastiveHashModel.JSON.writeValue(tmp.toFile(), state);
        Files.move(
            tmp, dir.resolve(CHECKPOINT_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
      }
    }

    /** What must match for a checkpoint to be resumed. */
    private static String key(ContrastiveHashModel.Metadata m) {
      return m.bits()
          + "/"
          + m.imageDim()
          + "/"
          + m.textDim()
          + "/"
          + m.seed()
          + "/"
          + m.settings();
    }
  }
}
