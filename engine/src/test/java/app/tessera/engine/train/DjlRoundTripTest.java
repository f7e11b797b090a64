package app.tessera.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL stack works offline from the Maven-provided natives: build a block, train it with a
 * custom loss, save, reload and get identical outputs.
 */
class DjlRoundTripTest {
  private static final String ENGINE = "PyTorch";

  /** A custom loss: mean squared error plus a small penalty pulling outputs towards ±1. */
  static final class SquaredWithQuantisation extends Loss {
    SquaredWithQuantisation() {
      super("squared-with-quantisation");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      NDArray prediction = predictions.singletonOrThrow();
      NDArray squared = prediction.sub(labels.singletonOrThrow()).square().mean();
      NDArray quantisation = prediction.abs().sub(1f).square().mean();
      return squared.add(quantisation.mul(0.01f));
    }
  }

  private static Block network() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(16).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(4).build());
  }

  @Test
  void trainsWithACustomLossSavesAndReloadsToIdenticalOutputs(@TempDir Path dir) throws Exception {
    Engine.getEngine(ENGINE).setRandomSeed(42);
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    float[] before;
    float[] trained;
    double firstLoss = Double.NaN;
    double lastLoss = Double.NaN;
    try (NDManager data = NDManager.newBaseManager(ENGINE)) {
      NDArray x = data.randomNormal(new Shape(32, 6));
      NDArray y = x.get(":, :4").sign();
      try (Model model = Model.newInstance("roundtrip", ENGINE)) {
        model.setBlock(network());
        Loss loss = new SquaredWithQuantisation();
        DefaultTrainingConfig config =
            new DefaultTrainingConfig(loss)
                .optOptimizer(
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build());
        try (Trainer trainer = model.newTrainer(config)) {
          trainer.initialize(new Shape(32, 6));
          for (int step = 0; step < 30; step++) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDArray value = loss.evaluate(new NDList(y), trainer.forward(new NDList(x)));
              collector.backward(value);
              double scalar = value.getFloat();
              if (step == 0) {
                firstLoss = scalar;
              }
              lastLoss = scalar;
            }
            trainer.step();
          }
          trained = forward(model, x);
        }
        model.save(dir, "roundtrip");
      }
      try (Model reloaded = Model.newInstance("roundtrip", ENGINE)) {
        reloaded.setBlock(network());
        reloaded.load(dir, "roundtrip");
        before = forward(reloaded, x);
      }
    }
    assertThat(lastLoss).isLessThan(firstLoss * 0.5);
    assertThat(before).containsExactly(trained);
  }

  private static float[] forward(Model model, NDArray x) {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray input = x.duplicate();
      input.attach(scope);
      NDList out =
          model.getBlock().forward(new ParameterStore(scope, false), new NDList(input), false);
      return out.singletonOrThrow().toFloatArray();
    }
  }
}
