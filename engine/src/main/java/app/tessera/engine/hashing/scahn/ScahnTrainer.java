package app.tessera.engine.hashing.scahn;

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
import app.tessera.engine.encode.TokenRows;
import app.tessera.engine.hashing.Batches;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashLosses;
import app.tessera.engine.hashing.LabelSimilarity;
import app.tessera.engine.hashing.ModelFiles;
import app.tessera.engine.hashing.TrainingListener;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.metrics.RetrievalMetrics;
import app.tessera.engine.train.TrainingRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SCAHN training run: every batch one Adam step on the sum of the losses of {@link Scahn}'s
 * components (discriminators included: gradient reversal makes one step serve both players). Each
 * batch lives in its own {@code NDManager}, closed after the step, so native memory stays flat.
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
      Device requestedDevice) {
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
    Random shuffle = new Random(seed);
    int n = train.size();
    try (Model model = Model.newInstance("scahn", device, "PyTorch")) {
      ScahnNetwork network = new ScahnNetwork(labelCount, bits, config);
      model.setBlock(network);
      try (Trainer trainer = model.newTrainer(trainingConfig())) {
        int b = config.batch();
        Shape[] shapes = ScahnModel.inputShapes(metadata, b);
        trainer.initialize(
            shapes[0],
            shapes[1],
            shapes[2],
            shapes[3],
            new Shape(labelCount, labelEmbeddings[0].length));
        ParameterStore store = new ParameterStore(model.getNDManager(), false);

        byte[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int steps = 0;
        int totalSteps = config.epochs() * Batches.shuffled(n, b, new Random(0)).size();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
          long start = System.nanoTime();
          List<int[]> batches = Batches.shuffled(n, b, shuffle);
          double loss = 0;
          int counted = 0;
          for (int[] rows : batches) {
            float lambda = ScahnLosses.reversal((double) steps++ / totalSteps);
            double batchLoss = step(trainer, model, network, store, rows, lambda);
            if (!Double.isNaN(batchLoss)) {
              loss += batchLoss;
              counted++;
            }
          }
          lastLoss = counted == 0 ? Double.NaN : loss / counted;
          long trained = System.nanoTime();
          double score = Double.NaN;
          if (validation != null) {
            score = validationScore(network.functions(), model.getNDManager());
            if (score > bestScore) {
              bestScore = score;
              bestEpoch = epoch;
              best = ModelFiles.snapshot(network.functions());
            }
          }
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
          if (config.patience() > 0
              && validation != null
              && epoch - bestEpoch >= config.patience()) {
            LOG.debug("early stop at epoch {}: best {} at epoch {}", epoch, bestScore, bestEpoch);
            break;
          }
        }
        byte[] chosen = best != null ? best : ModelFiles.snapshot(network.functions());
        return ScahnModel.fromParameters(metadata, chosen, device);
      }
    }
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
            losses(
                network,
                store,
                new Batch(imageX, imageTokens, textX, textTokens, labels),
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

  /** One batch of paired rows. */
  record Batch(
      NDArray imageX, NDArray imageTokens, NDArray textX, NDArray textTokens, NDArray labels) {}

  /**
   * The weighted loss terms of a batch by name (Tessera's design; see {@link Scahn} and {@link
   * ScahnConfig}); the training loss is their sum.
   */
  Map<String, NDArray> losses(
      ScahnNetwork network,
      ParameterStore store,
      Batch batch,
      NDArray embeddings,
      NDArray graph,
      float lambda) {
    Map<String, NDArray> terms = new LinkedHashMap<>();
    ScahnHashFunctions functions = network.functions();
    NDList image =
        functions.image().forward(store, new NDList(batch.imageX(), batch.imageTokens()), true);
    NDList text =
        functions.text().forward(store, new NDList(batch.textX(), batch.textTokens()), true);
    NDArray zImage = image.get(0);
    NDArray zText = text.get(0);
    NDArray hImage = functions.hash(store, zImage, true);
    NDArray hText = functions.hash(store, zText, true);
    NDArray labels = batch.labels();

    // Component 2: the label graph's classifiers guide both modalities' features.
    NDArray classifiers = network.classifiers(store, embeddings, graph, true).transpose();
    terms.put(
        "classify",
        ScahnLosses.bceWithLogits(zImage.matMul(classifiers), labels)
            .add(ScahnLosses.bceWithLogits(zText.matMul(classifiers), labels))
            .mul(config.wClassify()));

    // Component 1: what each modality's tokens look like through the other's eyes.
    if (config.uses(ScahnConfig.Component.ATTENTION)) {
      NDArray regions = image.get(1);
      NDArray words = text.get(1);
      NDArray imageSaliency = image.get(2);
      NDArray textSaliency = text.get(2);
      NDArray regionsSeen =
          ScahnLosses.crossSaliency(
              words,
              textSaliency,
              regions,
              ModalityEncoder.mask(batch.imageTokens()),
              config.crossTemperature());
      NDArray wordsSeen =
          ScahnLosses.crossSaliency(
              regions,
              imageSaliency,
              words,
              ModalityEncoder.mask(batch.textTokens()),
              config.crossTemperature());
      NDArray imageFused =
          functions
              .image()
              .fuse(
                  store,
                  HashLosses.normalizeRows(batch.imageX()),
                  ModalityEncoder.pool(regionsSeen, regions),
                  true);
      NDArray textFused =
          functions
              .text()
              .fuse(
                  store,
                  HashLosses.normalizeRows(batch.textX()),
                  ModalityEncoder.pool(wordsSeen, words),
                  true);
      NDArray attention =
          ScahnLosses.bceWithLogits(imageFused.matMul(classifiers), labels)
              .add(ScahnLosses.bceWithLogits(textFused.matMul(classifiers), labels))
              .add(ScahnLosses.kl(regionsSeen.stopGradient(), imageSaliency))
              .add(ScahnLosses.kl(wordsSeen.stopGradient(), textSaliency));
      terms.put("attention", attention.mul(config.wAttention()));
    }

    // Codes keep the label structure, with room for each item's own bits.
    NDArray target = ScahnLosses.similarityTarget(LabelSimilarity.of(labels), config.ceiling());
    NDArray similarity =
        HashLosses.mse(HashLosses.cosine(hImage, hText), target)
            .add(HashLosses.mse(HashLosses.cosine(hImage, hImage), target))
            .add(HashLosses.mse(HashLosses.cosine(hText, hText), target));
    terms.put("similarity", similarity.mul(config.wSimilarity()));

    // Component 3: label-aware (cross- and intra-media) and instance contrastive terms.
    if (config.uses(ScahnConfig.Component.CONTRASTIVE)) {
      NDArray positives = ScahnLosses.bothModalities(ScahnLosses.jaccard(labels));
      terms.put(
          "contrastive",
          HashLosses.weightedNtXent(hImage, hText, positives, config.tau())
              .mul(config.wContrastive()));
      terms.put("instance", HashLosses.ntXent(hImage, hText, config.tau()).mul(config.wInstance()));
    }

    // Component 4: dual-way adversarial alignment, features and codes.
    if (config.uses(ScahnConfig.Component.ADVERSARIAL)) {
      NDArray adversarial =
          dualWay(
                  network,
                  store,
                  HashLosses.normalizeRows(zImage),
                  HashLosses.normalizeRows(zText),
                  false,
                  lambda)
              .add(dualWay(network, store, hImage, hText, true, lambda));
      terms.put("adversarial", adversarial.mul(config.wAdversarial()));
    }

    NDArray quantisation = HashLosses.quantisation(hImage).add(HashLosses.quantisation(hText));
    NDArray balance =
        HashLosses.balance(hImage)
            .add(HashLosses.balance(hText))
            .add(HashLosses.decorrelation(hImage))
            .add(HashLosses.decorrelation(hText));
    terms.put("quantisation", quantisation.mul(config.wQuantisation()));
    terms.put("balance", balance.mul(config.wBalance()));
    return terms;
  }

  /**
   * Image→text: the caption critic learns real captions (1) from images (0), and the images,
   * through reversed gradients, learn to pass as captions. Text→image: the same with roles swapped.
   * Each critic sees its own modality without a gradient into the encoders. Inputs are bounded
   * (unit features, tanh codes): an unbounded input lets the reversed gradient inflate it.
   */
  private static NDArray dualWay(
      ScahnNetwork network,
      ParameterStore store,
      NDArray image,
      NDArray text,
      boolean code,
      float lambda) {
    NDArray imageToText =
        ScahnLosses.bceWithLogits(network.textCritic(store, text.stopGradient(), code, true), 1f)
            .add(
                ScahnLosses.bceWithLogits(
                    network.textCritic(
                        store, ScahnLosses.reverseGradient(image, lambda), code, true),
                    0f));
    NDArray textToImage =
        ScahnLosses.bceWithLogits(network.imageCritic(store, image.stopGradient(), code, true), 1f)
            .add(
                ScahnLosses.bceWithLogits(
                    network.imageCritic(
                        store, ScahnLosses.reverseGradient(text, lambda), code, true),
                    0f));
    return imageToText.add(textToImage);
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
