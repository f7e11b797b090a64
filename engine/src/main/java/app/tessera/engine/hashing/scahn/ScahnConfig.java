package app.tessera.engine.hashing.scahn;

import static app.tessera.engine.hashing.MethodParams.require;

import app.tessera.engine.hashing.MethodParams;
import app.tessera.engine.hashing.TrainingOptions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * SCAHN settings. The paper (Liang et al., ACM MM 2022) publishes no code and no settings below its
 * abstract, so every width, weight and schedule here is Tessera's own choice, named so that it can
 * be read, overridden ({@code --param name=value}) and recorded with a trained model. Unknown names
 * are refused.
 *
 * <table>
 *   <caption>Parameters (defaults chosen on a validation split of the EmojiXM training rows)</caption>
 *   <tr><th>name</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code ablate}</td><td>components switched off, comma list of {@code attention},
 *       {@code graph}, {@code contrastive}, {@code adversarial}</td><td>none</td></tr>
 *   <tr><td>{@code hidden}</td><td>width D of each modality's feature z</td><td>256</td></tr>
 *   <tr><td>{@code attentionDim}</td><td>width A of the projected tokens</td><td>128</td></tr>
 *   <tr><td>{@code crossTemperature}</td><td>temperature of the cross-media attention (token
 *       cosines)</td><td>0.1</td></tr>
 *   <tr><td>{@code gcnHidden}</td><td>width of the first GCN layer</td><td>256</td></tr>
 *   <tr><td>{@code graphThreshold}</td><td>co-occurrence probability below which a label edge is
 *       dropped (ML-GCN's τ)</td><td>0.4</td></tr>
 *   <tr><td>{@code graphReweight}</td><td>share of a label's weight given to its neighbours
 *       (ML-GCN's p)</td><td>0.2</td></tr>
 *   <tr><td>{@code tau}</td><td>temperature of the contrastive terms</td><td>0.3</td></tr>
 *   <tr><td>{@code ceiling}</td><td>ρ: target code cosine of two different items with equal labels
 *       (a pair's own image and caption: 1)</td><td>0.8</td></tr>
 *   <tr><td>{@code wClassify}</td><td>weight of the graph classifiers' multi-label loss</td>
 *       <td>1</td></tr>
 *   <tr><td>{@code wAttention}</td><td>weight of the cross-media attention terms</td><td>0.5</td></tr>
 *   <tr><td>{@code wSimilarity}</td><td>weight of the label-similarity loss on codes</td>
 *       <td>1</td></tr>
 *   <tr><td>{@code wContrastive}</td><td>weight of the label-aware contrastive loss</td>
 *       <td>1</td></tr>
 *   <tr><td>{@code wInstance}</td><td>weight of the instance (own pair) contrastive loss</td>
 *       <td>0.5</td></tr>
 *   <tr><td>{@code wAdversarial}</td><td>weight of the modality discriminators' loss</td>
 *       <td>0.1</td></tr>
 *   <tr><td>{@code wQuantisation}</td><td>weight of MSE(h, sign h)</td><td>0.1</td></tr>
 *   <tr><td>{@code wBalance}</td><td>weight of bit balance + decorrelation</td><td>0.1</td></tr>
 *   <tr><td>{@code dropout}</td><td>dropout inside each feature MLP</td><td>0.1</td></tr>
 *   <tr><td>{@code lr}</td><td>Adam learning rate (networks and discriminators)</td>
 *       <td>1e-3</td></tr>
 *   <tr><td>{@code batch}</td><td>pairs per step</td><td>128</td></tr>
 *   <tr><td>{@code epochs}</td><td>used when {@link TrainingOptions#epochs()} is 0</td>
 *       <td>16</td></tr>
 *   <tr><td>{@code patience}</td><td>epochs without a better validation score before stopping (0 =
 *       never)</td><td>4</td></tr>
 * </table>
 *
 * <p>The adversarial weight follows the gradient-reversal schedule of Ganin and Lempitsky (2015):
 * the reversed gradient is scaled by λ(p) = 2 / (1 + exp(−10 p)) − 1, p the share of training done,
 * so the discriminators are learnt before they push the encoders.
 */
public record ScahnConfig(
    Set<Component> ablate,
    int hidden,
    int attentionDim,
    float crossTemperature,
    int gcnHidden,
    float graphThreshold,
    float graphReweight,
    float tau,
    float ceiling,
    float wClassify,
    float wAttention,
    float wSimilarity,
    float wContrastive,
    float wInstance,
    float wAdversarial,
    float wQuantisation,
    float wBalance,
    float dropout,
    float lr,
    int batch,
    int epochs,
    int patience) {

  /** Width of a modality discriminator's hidden layer. */
  public static final int DISCRIMINATOR_HIDDEN = 256;

  /** The four components of the paper, each of which {@code ablate} can switch off. */
  public enum Component {
    /** Fine-grained cross-media attention over region and word tokens. */
    ATTENTION,
    /** The label association graph and its GCN classifiers (off: free per-label classifiers). */
    GRAPH,
    /** Cross- and intra-media label-aware and instance contrastive losses. */
    CONTRASTIVE,
    /** Dual-way modality discriminators at feature and code level. */
    ADVERSARIAL;

    static Component parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "ablate names attention, graph, contrastive or adversarial, got '" + name + "'");
      }
    }
  }

  /** The setting names {@link #from} reads; any other is refused. */
  static final Set<String> NAMES =
      Set.of(
          "ablate",
          "hidden",
          "attentionDim",
          "crossTemperature",
          "gcnHidden",
          "graphThreshold",
          "graphReweight",
          "tau",
          "ceiling",
          "wClassify",
          "wAttention",
          "wSimilarity",
          "wContrastive",
          "wInstance",
          "wAdversarial",
          "wQuantisation",
          "wBalance",
          "dropout",
          "lr",
          "batch",
          "epochs",
          "patience");

  public ScahnConfig {
    ablate = ablate.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ablate));
    require(hidden >= 1 && attentionDim >= 1 && gcnHidden >= 1, "widths must be >= 1");
    require(crossTemperature > 0 && tau > 0, "temperatures must be > 0");
    require(graphThreshold >= 0 && graphThreshold <= 1, "graphThreshold must be in [0, 1]");
    require(graphReweight >= 0 && graphReweight < 1, "graphReweight must be in [0, 1)");
    require(ceiling >= 0 && ceiling <= 1, "ceiling must be in [0, 1]");
    require(
        wClassify >= 0
            && wAttention >= 0
            && wSimilarity >= 0
            && wContrastive >= 0
            && wInstance >= 0
            && wAdversarial >= 0
            && wQuantisation >= 0
            && wBalance >= 0,
        "loss weights must be >= 0");
    require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)");
    require(lr > 0, "lr must be > 0");
    require(batch >= 2, "batch must be >= 2 (batch norm needs two rows)");
    require(epochs > 0 && patience >= 0, "epochs must be > 0 and patience >= 0");
  }

  /** Tessera's defaults. */
  public static ScahnConfig defaults() {
    return new ScahnConfig(
        Set.of(), 256, 128, 0.1f, 256, 0.4f, 0.2f, 0.3f, 0.8f, 1f, 0.5f, 1f, 1f, 0.5f, 0.1f, 0.1f,
        0.1f, 0.1f, 1e-3f, 128, 16, 4);
  }

  /** Whether {@code component} is on. */
  public boolean uses(Component component) {
    return !ablate.contains(component);
  }

  /** The configuration named by {@code options}; {@code options.epochs() > 0} wins over epochs. */
  public static ScahnConfig from(TrainingOptions options) {
    MethodParams p = MethodParams.of("SCAHN", options.params(), NAMES);
    ScahnConfig d = defaults();
    Set<Component> ablate = EnumSet.noneOf(Component.class);
    String list = p.text("ablate", "");
    if (!list.isEmpty() && !list.equalsIgnoreCase("none")) {
      for (String name : list.split(",")) {
        ablate.add(Component.parse(name));
      }
    }
    return new ScahnConfig(
        ablate,
        p.intValue("hidden", d.hidden),
        p.intValue("attentionDim", d.attentionDim),
        p.floatValue("crossTemperature", d.crossTemperature),
        p.intValue("gcnHidden", d.gcnHidden),
        p.floatValue("graphThreshold", d.graphThreshold),
        p.floatValue("graphReweight", d.graphReweight),
        p.floatValue("tau", d.tau),
        p.floatValue("ceiling", d.ceiling),
        p.floatValue("wClassify", d.wClassify),
        p.floatValue("wAttention", d.wAttention),
        p.floatValue("wSimilarity", d.wSimilarity),
        p.floatValue("wContrastive", d.wContrastive),
        p.floatValue("wInstance", d.wInstance),
        p.floatValue("wAdversarial", d.wAdversarial),
        p.floatValue("wQuantisation", d.wQuantisation),
        p.floatValue("wBalance", d.wBalance),
        p.floatValue("dropout", d.dropout),
        p.floatValue("lr", d.lr),
        p.intValue("batch", d.batch),
        options.epochs() > 0 ? options.epochs() : p.intValue("epochs", d.epochs),
        p.intValue("patience", d.patience));
  }

  /** Every setting by name, as recorded with a model and in the model cache's key. */
  public Map<String, String> asParams() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "ablate",
        ablate.isEmpty()
            ? "none"
            : String.join(
                ",",
                new TreeSet<>(
                    ablate.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList())));
    m.put("hidden", Integer.toString(hidden));
    m.put("attentionDim", Integer.toString(attentionDim));
    m.put("crossTemperature", Float.toString(crossTemperature));
    m.put("gcnHidden", Integer.toString(gcnHidden));
    m.put("graphThreshold", Float.toString(graphThreshold));
    m.put("graphReweight", Float.toString(graphReweight));
    m.put("tau", Float.toString(tau));
    m.put("ceiling", Float.toString(ceiling));
    m.put("wClassify", Float.toString(wClassify));
    m.put("wAttention", Float.toString(wAttention));
    m.put("wSimilarity", Float.toString(wSimilarity));
    m.put("wContrastive", Float.toString(wContrastive));
    m.put("wInstance", Float.toString(wInstance));
    m.put("wAdversarial", Float.toString(wAdversarial));
    m.put("wQuantisation", Float.toString(wQuantisation));
    m.put("wBalance", Float.toString(wBalance));
    m.put("dropout", Float.toString(dropout));
    m.put("lr", Float.toString(lr));
    m.put("batch", Integer.toString(batch));
    m.put("epochs", Integer.toString(epochs));
    m.put("patience", Integer.toString(patience));
    return m;
  }
}
