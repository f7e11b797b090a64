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
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.hashing.Validation;
import app.tessera.engine.train.Checkpoint;
import app.tessera.engine.train.EarlyStopping;
import app.tessera.engine.train.TrainingListener;
import app.tessera.engine.train.TrainingRuntime;
import app.tessera.engine.train.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

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
 * <p>Checkpoints ({@link Checkpoint}): with {@link TrainingOptions#checkpointDir()} set, the
 * weights of the last and of the best epoch and the loop's state are written there after every
 * epoch, and a later run with the same settings resumes after the last finished epoch (Adam's
 * moments restart).
 */
public final class ContrastiveHashing implements HashingMethod {
  public static final String NAME = "contrastive";

  /** The most epochs when {@link TrainingOptions#epochs()} is 0 (early stopping ends sooner). */
  public static final int DEFAULT_EPOCHS = 60;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> settingNames() {
    return ContrastiveSettings.NAMES;
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
        Checkpoint checkpoint = new Checkpoint(options.checkpointDir());
        String key = checkpointKey(metadata);
        EarlyStopping stopping = new EarlyStopping(settings.patience());
        int epoch = 0;
        byte[] best = null;
        Optional<Checkpoint.State> saved = checkpoint.read(key);
        if (saved.isPresent()) {
          Checkpoint.State state = saved.get();
          Weights.restore(heads, model.getNDManager(), state.lastWeights());
          epoch = state.epochsDone();
          stopping = state.stopping(settings.patience());
          best = state.bestWeights();
        }
        int maxEpochs = options.epochs() > 0 ? options.epochs() : DEFAULT_EPOCHS;
        while (epoch < maxEpochs && !stopping.exhausted()) {
          epoch++;
          double loss =
              runEpoch(
                  trainer, images, texts, groups, settings, options.seed() * 1_000_003L + epoch);
          double score = Validation.score(scorer, validation);
          // An empty validation split scores NaN: the latest epoch is then kept.
          boolean better =
              Double.isNaN(score) ? stopping.keepLatest(epoch) : stopping.record(epoch, score);
          if (better) {
            best = Weights.snapshot(heads);
          }
          checkpoint.write(
              key, Checkpoint.State.of(epoch, stopping, Weights.snapshot(heads), best));
          listener.epochEnded(epoch, maxEpochs, loss, score);
        }
        if (best != null) {
          Weights.restore(heads, model.getNDManager(), best);
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
                    epoch,
                    stopping.bestEpoch(),
                    stopping.bestScore()));
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

  /** What must match for a checkpoint to be resumed. */
  private static String checkpointKey(ContrastiveHashModel.Metadata m) {
    return m.bits() + "/" + m.imageDim() + "/" + m.textDim() + "/" + m.seed() + "/" + m.settings();
  }
}
