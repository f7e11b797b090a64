package app.tessera.engine.hashing.scahn;

import static app.tessera.engine.hashing.Batches.gather;
import static app.tessera.engine.hashing.Batches.requireWidth;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import app.tessera.engine.Device;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.encode.TokenRows;
import app.tessera.engine.hashing.Batches;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.metrics.RetrievalMetrics;
import app.tessera.engine.train.Checkpoint;
import app.tessera.engine.train.EarlyStopping;
import app.tessera.engine.train.TrainingListener;
import app.tessera.engine.train.TrainingRuntime;
import app.tessera.engine.train.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SCAHN training run: every batch one Adam step on the sum of the losses of {@link Scahn}'s
 * components ({@link ScahnObjective}; discriminators included: gradient reversal makes one step
 * serve both players). Each batch lives in its own {@code NDManager}, closed after the step, so
 * native memory stays flat. Early stopping, the kept weights and the resumable {@link Checkpoint}
 * (the whole network after the last epoch, the query-time block of the best; Adam's moments restart
 * on resume) are the {@code train} package's, as for the other methods.
 */
final class ScahnTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ScahnTrainer.class);

  /** Each gradient element is clipped to ±this: a safety net for the adversarial game. */
  private static final float CLIP_GRADIENT = 1f;

  private final FeatureSet train;
  private final FeatureSet validation;
  private final int bits;
  private final long seed;
  private final ScahnConfig config;
  private final Checkpoint checkpoint;
  private final ai.djl.Device device;
  private final int labelCount;
  private final ScahnModel.Metadata metadata;
  private final float[][] labelEmbeddings;
  private final float[][] adjacency;
  private final Relevance validationRelevance;

  /** Mean loss of the last epoch, for tests and logs. */
  private double lastLoss = Double.NaN;

  /** Steps skipped for a non-finite loss or gradient (logged; expected to stay 0). */
  private int skipped;

  /** Native arrays alive in the training model after each epoch: flat when nothing leaks. */
  private final List<Integer> arraysAlive = new ArrayList<>();

  ScahnTrainer(
      FeatureSet train,
      FeatureSet validation,
      int bits,
      long seed,
      ScahnConfig config,
      Device requestedDevice,
      Checkpoint checkpoint) {
    if (!train.hasLabels()) {
      throw new IllegalArgumentException("SCAHN needs labels: the training set has none");
    }
    if (!train.hasTokens()) {
      throw new IllegalArgumentException(
          "SCAHN needs token-level features (image regions, caption words): the training set has"
              + " none");
    }
    if (train.size() < 2) {
      throw new IllegalArgumentException("SCAHN needs at least 2 training pairs");
    }
    this.train = train;
    this.labelCount = train.labels()[0].length;
    TokenRows imageTokens = train.imageTokens();
    TokenRows textTokens = train.textTokens();
    this.metadata =
        ScahnModel.metadata(
            bits,
            train.imageDim(),
            train.textDim(),
            imageTokens.shape().count(),
            imageTokens.shape().dim(),
            textTokens.shape().count(),
            textTokens.shape().dim(),
            labelCount,
            config);
    check(train, "training");
    boolean usableValidation = validation != null && validation.size() > 0;
    if (usableValidation) {
      if (!validation.hasLabels() || !validation.hasTokens()) {
        throw new IllegalArgumentException(
            "the validation set needs labels and tokens for model selection");
      }
      check(validation, "validation");
    }
    this.validation = usableValidation ? validation : null;
    this.validationRelevance =
        usableValidation ? Relevance.sharedLabel(validation.labels(), train.labels()) : null;
    this.bits = bits;
    this.seed = seed;
    this.config = config;
    this.checkpoint = checkpoint;
    this.labelEmbeddings = LabelGraph.embeddings(train.labels(), train.texts());
    this.adjacency =
        LabelGraph.normalised(train.labels(), config.graphThreshold(), config.graphReweight());
    this.device = TrainingRuntime.start(requestedDevice, seed);
  }

  private void check(FeatureSet set, String what) {
    requireWidth(set.images(), metadata.imageDim(), what + " image");
    requireWidth(set.texts(), metadata.textDim(), what + " text");
    requireWidth(set.labels(), labelCount, what + " label");
    requireWidth(
        set.imageTokens().rows(),
        metadata.imageTokens() * metadata.imageTokenDim(),
        what + " image token");
    requireWidth(
        set.textTokens().rows(),
        metadata.textTokens() * metadata.textTokenDim(),
        what + " text token");
  }

  ScahnModel train(TrainingListener listener) {
    int n = train.size();
    int b = config.batch();
    int batchesPerEpoch = Batches.shuffled(n, b, new Random(0)).size();
    int totalSteps = config.epochs() * batchesPerEpoch;
    try (Model model = Model.newInstance("scahn", device, "PyTorch")) {
      ScahnNetwork network = new ScahnNetwork(labelCount, bits, config);
      model.setBlock(network);
      try (Trainer trainer = model.newTrainer(trainingConfig())) {
        Shape[] shapes = ScahnModel.inputShapes(metadata, b);
        Shape[] inputs = {
          shapes[0],
          shapes[1],
          shapes[2],
          shapes[3],
          new Shape(labelCount, labelEmbeddings[0].length)
        };
        String key = checkpointKey();
        Optional<Checkpoint.State> saved = checkpoint.read(key);
        if (saved.isPresent()) {
          // Restored before the trainer takes the parameter arrays over (Trainer.initialize keeps
          // them; it only adds gradients to arrays that are there): weights loaded afterwards
          // would not be the ones trained.
          network.initialize(model.getNDManager(), DataType.FLOAT32, inputs);
          Weights.restore(network, model.getNDManager(), saved.get().lastWeights());
        }
        trainer.initialize(inputs);
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        ScahnObjective objective = new ScahnObjective(config);

        Random shuffle = new Random(seed);
        EarlyStopping stopping = new EarlyStopping(config.patience());
        byte[] best = null;
        int epoch = 0;
        if (saved.isPresent()) {
          Checkpoint.State state = saved.get();
          epoch = state.epochsDone();
          stopping = state.stopping(config.patience());
          best = state.bestWeights();
          for (int done = 0; done < epoch; done++) {
            Batches.shuffled(n, b, shuffle); // the same batches as an uninterrupted run from here
          }
          LOG.debug("resuming after epoch {} from {}", epoch, key);
        }
        while (epoch < config.epochs() && !stopping.exhausted()) {
          epoch++;
          long start = System.nanoTime();
          int step = (epoch - 1) * batchesPerEpoch;
          double loss = 0;
          int counted = 0;
          for (int[] rows : Batches.shuffled(n, b, shuffle)) {
            float lambda = ScahnLosses.reversal((double) step++ / totalSteps);
            double batchLoss = step(trainer, model, network, objective, store, rows, lambda);
            if (!Double.isNaN(batchLoss)) {
              loss += batchLoss;
              counted++;
            }
          }
          lastLoss = counted == 0 ? Double.NaN : loss / counted;
          long trained = System.nanoTime();
          double score = Double.NaN;
          boolean better;
          if (validation != null) {
            score = validationScore(network.functions(), model.getNDManager());
            better = stopping.record(epoch, score);
          } else {
            better = stopping.keepLatest(epoch); // nothing to judge by: the last epoch is kept
          }
          if (better) {
            best = Weights.snapshot(network.functions());
          }
          checkpoint.write(
              key, Checkpoint.State.of(epoch, stopping, Weights.snapshot(network), best));
          LOG.debug(
              "epoch {}/{}: loss {}, validation score {}, steps skipped {}; ms: training {},"
                  + " validation {}",
              epoch,
              config.epochs(),
              lastLoss,
              score,
              skipped,
              (trained - start) / 1_000_000,
              (System.nanoTime() - trained) / 1_000_000);
          arraysAlive.add(model.getNDManager().getManagedArrays().size());
          LOG.trace("epoch {}: native arrays alive: {}", epoch, arraysAlive.getLast());
          listener.epochEnded(epoch, config.epochs(), lastLoss, score);
        }
        if (stopping.exhausted()) {
          LOG.debug(
              "early stop at epoch {}: best {} at epoch {}",
              epoch,
              stopping.bestScore(),
              stopping.bestEpoch());
        }
        byte[] chosen = best != null ? best : Weights.snapshot(network.functions());
        return ScahnModel.fromParameters(metadata, chosen, device);
      }
    }
  }

  /**
   * What must match for a checkpoint to be resumed: the model's shape, seed, data size, settings.
   */
  private String checkpointKey() {
    return Scahn.NAME
        + "/"
        + bits
        + "b/"
        + metadata.imageDim()
        + "x"
        + metadata.textDim()
        + "/tokens "
        + metadata.imageTokens()
        + "x"
        + metadata.imageTokenDim()
        + ","
        + metadata.textTokens()
        + "x"
        + metadata.textTokenDim()
        + "/"
        + labelCount
        + " labels/seed "
        + seed
        + "/"
        + train.size()
        + " rows/"
        + config.asParams();
  }

  double lastLoss() {
    return lastLoss;
  }

  List<Integer> arraysAliveAfterEachEpoch() {
    return List.copyOf(arraysAlive);
  }

  private double step(
      Trainer trainer,
      Model model,
      ScahnNetwork network,
      ScahnObjective objective,
      ParameterStore store,
      int[] rows,
      float lambda) {
    try (NDManager scope = model.getNDManager().newSubManager(device)) {
      NDArray labels = gather(scope, train.labels(), rows, labelCount);
      NDArray imageX = gather(scope, train.images(), rows, metadata.imageDim());
      NDArray textX = gather(scope, train.texts(), rows, metadata.textDim());
      NDArray imageTokens =
          gather(
                  scope,
                  train.imageTokens().rows(),
                  rows,
                  metadata.imageTokens() * metadata.imageTokenDim())
              .reshape(rows.length, metadata.imageTokens(), metadata.imageTokenDim());
      NDArray textTokens =
          gather(
                  scope,
                  train.textTokens().rows(),
                  rows,
                  metadata.textTokens() * metadata.textTokenDim())
              .reshape(rows.length, metadata.textTokens(), metadata.textTokenDim());
      NDArray embeddings = scope.create(labelEmbeddings);
      NDArray graph = scope.create(adjacency);
      Map<String, NDArray> terms;
      NDArray loss = null;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        terms =
            objective.terms(
                network,
                store,
                new ScahnObjective.Batch(imageX, imageTokens, textX, textTokens, labels),
                embeddings,
                graph,
                lambda);
        for (NDArray term : terms.values()) {
          loss = loss == null ? term : loss.add(term);
        }
        collector.backward(loss);
      }
      float value = loss.getFloat();
      if (!Float.isFinite(value) || !finiteGradients(network, scope)) {
        // One bad batch must not poison the weights: skip its update and say which term it was.
        skipped++;
        if (LOG.isDebugEnabled()) {
          Map<String, Float> values = new LinkedHashMap<>();
          terms.forEach((name, term) -> values.put(name, term.getFloat()));
          LOG.debug("non-finite loss or gradient, step skipped: {}", values);
        }
        return Double.NaN;
      }
      trainer.step();
      return value;
    }
  }

  /**
   * Whether every parameter gradient is finite (a NaN or infinity anywhere makes the sum
   * non-finite). The gradient views and sums live in a scope of their own: a gradient read from a
   * parameter belongs to the model's manager and would otherwise outlive the step.
   */
  private static boolean finiteGradients(ScahnNetwork network, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray sum = scope.zeros(new Shape());
      for (var parameter : network.getParameters()) {
        NDArray array = parameter.getValue().getArray();
        if (array.hasGradient()) {
          NDArray gradient = array.getGradient();
          gradient.attach(scope);
          sum = sum.add(gradient.sum());
        }
      }
      return Float.isFinite(sum.getFloat());
    }
  }

  /**
   * The selection score: validation rows query the training rows, image→text and text→image; the
   * mean over both directions of mAP@all, mAP@50 and P@10 (shared-label relevance).
   */
  private double validationScore(ScahnHashFunctions functions, NDManager manager) {
    ParameterStore store = new ParameterStore(manager, false);
    long[] trainImages = codes(functions, functions.image(), store, manager, train, true);
    long[] trainTexts = codes(functions, functions.text(), store, manager, train, false);
    long[] validImages = codes(functions, functions.image(), store, manager, validation, true);
    long[] validTexts = codes(functions, functions.text(), store, manager, validation, false);
    int[] cutoffs = {10, 50};
    RetrievalMetrics i2t =
        RetrievalEvaluator.hamming(validImages, trainTexts, bits, validationRelevance, cutoffs);
    RetrievalMetrics t2i =
        RetrievalEvaluator.hamming(validTexts, trainImages, bits, validationRelevance, cutoffs);
    return (headScore(i2t) + headScore(t2i)) / 2;
  }

  private static double headScore(RetrievalMetrics m) {
    return (m.mapAll() + m.mapAt(50) + m.precisionAt(10)) / 3;
  }

  private long[] codes(
      ScahnHashFunctions functions,
      ModalityEncoder encoder,
      ParameterStore store,
      NDManager manager,
      FeatureSet set,
      boolean images) {
    return BinaryCodes.pack(
        images
            ? ScahnModel.embed(
                functions,
                encoder,
                store,
                manager,
                set.images(),
                set.imageTokens().rows(),
                metadata.imageDim(),
                metadata.imageTokens(),
                metadata.imageTokenDim(),
                bits,
                "image")
            : ScahnModel.embed(
                functions,
                encoder,
                store,
                manager,
                set.texts(),
                set.textTokens().rows(),
                metadata.textDim(),
                metadata.textTokens(),
                metadata.textTokenDim(),
                bits,
                "text"));
  }

  private DefaultTrainingConfig trainingConfig() {
    return new DefaultTrainingConfig(Loss.l2Loss()) // unused: the losses are computed here
        .optOptimizer(
            Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed(config.lr()))
                .optClipGrad(CLIP_GRADIENT)
                .build())
        .optDevices(new ai.djl.Device[] {device});
  }
}
