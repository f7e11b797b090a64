package app.tessera.engine.hashing.bilgseh;

import static app.tessera.engine.hashing.Batches.gather;
import static app.tessera.engine.hashing.Batches.requireWidth;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
import app.tessera.engine.hashing.Batches;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.LabelSimilarity;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.train.EarlyStopping;
import app.tessera.engine.train.TrainingListener;
import app.tessera.engine.train.TrainingRuntime;
import app.tessera.engine.train.Weights;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BiLGSEH training run. Each batch lives in its own {@code NDManager}, closed after the
 * optimiser step, so native memory does not grow with epochs.
 */
final class BilgsehTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(BilgsehTrainer.class);

  private final FeatureSet train;
  private final FeatureSet validation;
  private final int bits;
  private final long seed;
  private final BilgsehConfig config;
  private final ai.djl.Device device;
  private final int imageDim;
  private final int textDim;
  private final int labelCount;
  private final Relevance validationRelevance;

  /** Mean losses of the last epoch, for tests and logs. */
  private double lastCodeLoss = Double.NaN;

  private double lastHashLoss = Double.NaN;

  BilgsehTrainer(
      FeatureSet train,
      FeatureSet validation,
      int bits,
      long seed,
      BilgsehConfig config,
      Device requestedDevice) {
    if (!train.hasLabels()) {
      throw new IllegalArgumentException("BiLGSEH needs labels: the training set has none");
    }
    if (train.size() < 2) {
      throw new IllegalArgumentException("BiLGSEH needs at least 2 training pairs");
    }
    this.train = train;
    this.imageDim = train.imageDim();
    this.textDim = train.textDim();
    this.labelCount = train.labels()[0].length;
    requireWidth(train.images(), imageDim, "training image");
    requireWidth(train.texts(), textDim, "training text");
    requireWidth(train.labels(), labelCount, "training label");
    boolean usableValidation = validation != null && validation.size() > 0;
    if (usableValidation) {
      if (!validation.hasLabels()) {
        throw new IllegalArgumentException("the validation set needs labels for model selection");
      }
      requireWidth(validation.images(), imageDim, "validation image");
      requireWidth(validation.texts(), textDim, "validation text");
      requireWidth(validation.labels(), labelCount, "validation label");
    }
    this.validation = usableValidation ? validation : null;
    this.validationRelevance =
        usableValidation ? Relevance.sharedLabel(validation.labels(), train.labels()) : null;
    this.bits = bits;
    this.seed = seed;
    this.config = config;
    this.device = TrainingRuntime.start(requestedDevice, seed);
  }

  BilgsehModel train(TrainingListener listener) {
    Random shuffle = new Random(seed);
    int n = train.size();
    float[][] phaseOneCodes = new float[n][];
    BilgsehModel.Metadata metadata =
        BilgsehModel.metadata(bits, imageDim, textDim, labelCount, config);

    try (Model codeModel = Model.newInstance("bilgseh-codes", device, "PyTorch");
        Model hashModel = Model.newInstance("bilgseh-hash", device, "PyTorch")) {
      CodeLearningNetwork network = new CodeLearningNetwork(labelCount, bits, config);
      HashFunctions functions = new HashFunctions(bits);
      codeModel.setBlock(network);
      hashModel.setBlock(functions);
      try (Trainer codeTrainer = codeModel.newTrainer(trainingConfig(config.lrCodes()));
          Trainer hashTrainer = hashModel.newTrainer(trainingConfig(config.lrHash()))) {
        int b = config.batch();
        codeTrainer.initialize(
            new Shape(b, imageDim),
            new Shape(b, textDim),
            new Shape(b, labelCount),
            new Shape(b, b));
        hashTrainer.initialize(new Shape(b, imageDim), new Shape(b, textDim));
        ParameterStore inference = new ParameterStore(hashModel.getNDManager(), false);

        byte[] best = null;
        EarlyStopping stopping = new EarlyStopping(config.patience());
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
          long start = System.nanoTime();
          List<int[]> batches = Batches.shuffled(n, b, shuffle);
          double codeLoss = 0;
          for (int[] rows : batches) {
            codeLoss += codeStep(codeTrainer, codeModel, rows, phaseOneCodes);
          }
          long codeEnd = System.nanoTime();
          double hashLoss = 0;
          for (int[] rows : batches) {
            hashLoss += hashStep(hashTrainer, hashModel, rows, phaseOneCodes);
          }
          lastCodeLoss = codeLoss / batches.size();
          lastHashLoss = hashLoss / batches.size();

          long hashEnd = System.nanoTime();
          double score = Double.NaN;
          if (validation != null) {
            score = validationScore(functions, inference, hashModel.getNDManager());
            if (stopping.record(epoch, score)) {
              best = Weights.snapshot(functions);
            }
          }
          LOG.debug(
              "epoch {}/{}: code loss {}, hash loss {}, validation mAP {}; ms: phase 1 {},"
                  + " phase 2 {}, validation {}",
              epoch,
              config.epochs(),
              lastCodeLoss,
              lastHashLoss,
              score,
              (codeEnd - start) / 1_000_000,
              (hashEnd - codeEnd) / 1_000_000,
              (System.nanoTime() - hashEnd) / 1_000_000);
          if (LOG.isTraceEnabled()) {
            LOG.trace(
                "epoch {}: native arrays alive: {} (phase 1), {} (phase 2)",
                epoch,
                codeModel.getNDManager().getManagedArrays().size(),
                hashModel.getNDManager().getManagedArrays().size());
          }
          listener.epochEnded(epoch, config.epochs(), lastCodeLoss + lastHashLoss, score);
          if (validation != null && stopping.exhausted()) {
            LOG.debug(
                "early stop at epoch {}: best validation mAP {} at epoch {}",
                epoch,
                stopping.bestScore(),
                stopping.bestEpoch());
            break;
          }
        }
        byte[] chosen = best != null ? best : Weights.snapshot(functions);
        return BilgsehModel.fromParameters(metadata, chosen, device);
      }
    }
  }

  double lastCodeLoss() {
    return lastCodeLoss;
  }

  double lastHashLoss() {
    return lastHashLoss;
  }

  private double codeStep(Trainer trainer, Model model, int[] rows, float[][] codesOut) {
    try (NDManager scope = model.getNDManager().newSubManager(device)) {
      NDArray labels = gather(scope, train.labels(), rows, labelCount);
      NDArray similarity = LabelSimilarity.of(labels);
      NDList inputs =
          new NDList(
              gather(scope, train.images(), rows, imageDim),
              gather(scope, train.texts(), rows, textDim),
              labels,
              similarity);
      NDList out;
      NDArray loss;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        out = trainer.forward(inputs);
        loss = BilgsehLosses.codeLearning(out.get(0), out.get(1), similarity, config);
        collector.backward(loss);
      }
      trainer.step();
      storeSigns(out.get(0), out.get(1), rows, codesOut);
      return loss.getFloat();
    }
  }

  private double hashStep(Trainer trainer, Model model, int[] rows, float[][] codes) {
    try (NDManager scope = model.getNDManager().newSubManager(device)) {
      NDArray labels = gather(scope, train.labels(), rows, labelCount);
      NDArray similarity = LabelSimilarity.of(labels);
      NDArray targets = gather(scope, codes, rows, 2 * bits);
      NDList split = targets.split(new long[] {bits}, 1);
      NDList inputs =
          new NDList(
              gather(scope, train.images(), rows, imageDim),
              gather(scope, train.texts(), rows, textDim));
      NDArray loss;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList out = trainer.forward(inputs);
        loss =
            BilgsehLosses.hashRegression(
                out.get(0), out.get(1), split.get(0), split.get(1), similarity, config.beta());
        collector.backward(loss);
      }
      trainer.step();
      return loss.getFloat();
    }
  }

  /** Stores sign(H_img) and sign(H_txt) (0 → +1) of each row as one 2K row. */
  private void storeSigns(NDArray hImage, NDArray hText, int[] rows, float[][] codesOut) {
    float[] image = hImage.toFloatArray();
    float[] text = hText.toFloatArray();
    for (int r = 0; r < rows.length; r++) {
      float[] code = new float[2 * bits];
      for (int j = 0; j < bits; j++) {
        code[j] = image[r * bits + j] >= 0 ? 1f : -1f;
        code[bits + j] = text[r * bits + j] >= 0 ? 1f : -1f;
      }
      codesOut[rows[r]] = code;
    }
  }

  /**
   * Mean of image→text and text→image mAP@all of the validation rows as queries against the
   * training rows as the database (shared-label relevance): the deployed situation in small.
   */
  private double validationScore(HashFunctions functions, ParameterStore store, NDManager manager) {
    long[] trainImages = codes(functions.image(), store, manager, train.images(), imageDim);
    long[] trainTexts = codes(functions.text(), store, manager, train.texts(), textDim);
    long[] validImages = codes(functions.image(), store, manager, validation.images(), imageDim);
    long[] validTexts = codes(functions.text(), store, manager, validation.texts(), textDim);
    double imageToText =
        RetrievalEvaluator.hamming(validImages, trainTexts, bits, validationRelevance).mapAll();
    double textToImage =
        RetrievalEvaluator.hamming(validTexts, trainImages, bits, validationRelevance).mapAll();
    return (imageToText + textToImage) / 2;
  }

  private long[] codes(
      HashFunctions.HashFunction function,
      ParameterStore store,
      NDManager manager,
      float[][] rows,
      int dim) {
    return BinaryCodes.pack(BilgsehModel.embed(function, store, manager, rows, dim, bits, "input"));
  }

  private DefaultTrainingConfig trainingConfig(float learningRate) {
    return new DefaultTrainingConfig(Loss.l2Loss()) // unused: the losses are computed here
        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build())
        .optDevices(new ai.djl.Device[] {device});
  }
}
