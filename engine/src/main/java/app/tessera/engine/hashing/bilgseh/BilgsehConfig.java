package app.tessera.engine.hashing.bilgseh;

import static app.tessera.engine.hashing.MethodParams.require;

import app.tessera.engine.hashing.MethodParams;
import app.tessera.engine.hashing.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * BiLGSEH hyper-parameters. Read from {@link TrainingOptions#params()} by name; every name is
 * optional and unknown names are rejected (a typo must not silently train the wrong model).
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>meaning</th><th>tessera</th><th>reference</th></tr>
 *   <tr><td>{@code preset}</td><td>{@code tessera} or {@code reference} (the released code's
 *       MIRFlickr settings); the values below override single settings of the preset</td>
 *       <td></td><td></td></tr>
 *   <tr><td>{@code attention}</td><td>{@code label} (real label-guided attention) or {@code
 *       degenerate} (the reference's length-1 form)</td><td>label</td><td>degenerate</td></tr>
 *   <tr><td>{@code lambda1}</td><td>weight of the cross-modal NT-Xent loss</td><td>1</td>
 *       <td>10</td></tr>
 *   <tr><td>{@code lambda2}</td><td>weight of the label-similarity loss</td><td>10</td>
 *       <td>10</td></tr>
 *   <tr><td>{@code beta}</td><td>weight of the similarity terms of phase 2</td><td>1</td>
 *       <td>0.01</td></tr>
 *   <tr><td>{@code tau}</td><td>NT-Xent temperature</td><td>0.4</td><td>0.4</td></tr>
 *   <tr><td>{@code lrCodes}, {@code lrHash}</td><td>Adam learning rates of phase 1 and phase
 *       2</td><td>1e-3, 1e-3</td><td>1e-3, 1e-4</td></tr>
 *   <tr><td>{@code batch}</td><td>batch size</td><td>128</td><td>128</td></tr>
 *   <tr><td>{@code epochs}</td><td>used when {@link TrainingOptions#epochs()} is 0</td>
 *       <td>30</td><td>60</td></tr>
 *   <tr><td>{@code patience}</td><td>epochs without a better validation score before
 *       stopping (0 = never stop early)</td><td>8</td><td>0</td></tr>
 *   <tr><td>{@code tokens}, {@code heads}</td><td>feature tokens and heads of the label
 *       attention</td><td>8, 4</td><td>1, 4</td></tr>
 * </table>
 *
 * <p>The Tessera values were chosen on a validation split of the EmojiXM training rows (never on
 * query rows): against the reference values, λ1 = 1 instead of 10 (NT-Xent pushes apart different
 * items that share labels, which label-based retrieval wants close), β = 1 instead of 0.01 and a
 * phase-2 learning rate of 1e-3 instead of 1e-4 (the query-time functions learn the label structure
 * directly and in fewer epochs), and the real label attention; see {@code
 * models/cards/bilgseh-emoji.md}. A caller's {@link TrainingOptions#epochs()} above 0 overrides
 * {@code epochs}.
 */
public record BilgsehConfig(
    AttentionMode attention,
    float lambda1,
    float lambda2,
    float beta,
    float tau,
    float lrCodes,
    float lrHash,
    int batch,
    int epochs,
    int patience,
    int tokens,
    int heads) {

  /** Width of the phase-1 network (the reference's 512, independent of the input sizes). */
  public static final int HIDDEN = 512;

  /** Width of the phase-2 hash functions' hidden layer. */
  public static final int HASH_HIDDEN = 256;

  /** Width of one feature token in the label-guided attention. */
  public static final int TOKEN_DIM = 256;

  /** Dropout of the phase-2 hash functions. */
  public static final float HASH_DROPOUT = 0.3f;

  static final Set<String> NAMES =
      Set.of(
          "preset",
          "attention",
          "lambda1",
          "lambda2",
          "beta",
          "tau",
          "lrCodes",
          "lrHash",
          "batch",
          "epochs",
          "patience",
          "tokens",
          "heads");

  /** The feature form of the attention branch. */
  public enum AttentionMode {
    /** Label queries attend over T feature tokens (Tessera). */
    LABEL,
    /** The reference's single-token attention: labels have no effect. */
    DEGENERATE;

    static AttentionMode parse(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "label" -> LABEL;
        case "degenerate" -> DEGENERATE;
        default ->
            throw new IllegalArgumentException(
                "attention must be 'label' or 'degenerate', got '" + value + "'");
      };
    }
  }

  public BilgsehConfig {
    require(lambda1 >= 0 && lambda2 >= 0 && beta >= 0, "loss weights must be >= 0");
    require(tau > 0, "tau must be > 0");
    require(lrCodes > 0 && lrHash > 0, "learning rates must be > 0");
    require(batch >= 2, "batch must be >= 2 (batch norm needs two rows)");
    require(epochs > 0, "epochs must be > 0");
    require(patience >= 0, "patience must be >= 0");
    require(tokens >= 1 && heads >= 1, "tokens and heads must be >= 1");
    int tokenDim = attention == AttentionMode.LABEL ? TOKEN_DIM : HIDDEN;
    require(tokenDim % heads == 0, "heads must divide the token width " + tokenDim);
  }

  /** Tessera's defaults. */
  public static BilgsehConfig tessera() {
    return new BilgsehConfig(
        AttentionMode.LABEL, 1f, 10f, 1f, 0.4f, 1e-3f, 1e-3f, 128, 30, 8, 8, 4);
  }

  /** The released code's MIRFlickr settings, with its degenerate attention. */
  public static BilgsehConfig reference() {
    return new BilgsehConfig(
        AttentionMode.DEGENERATE, 10f, 10f, 0.01f, 0.4f, 1e-3f, 1e-4f, 128, 60, 0, 1, 4);
  }

  /**
   * The configuration named by {@code options}: the preset, then each named override; {@code
   * options.epochs() > 0} overrides the preset's epochs.
   */
  public static BilgsehConfig from(TrainingOptions options) {
    MethodParams p = MethodParams.of("BiLGSEH", options.params(), NAMES);
    String preset = p.text("preset", "tessera").toLowerCase(Locale.ROOT);
    BilgsehConfig base =
        switch (preset) {
          case "tessera" -> tessera();
          case "reference" -> reference();
          default ->
              throw new IllegalArgumentException(
                  "preset must be 'tessera' or 'reference', got '" + preset + "'");
        };
    AttentionMode attention =
        p.has("attention") ? AttentionMode.parse(p.text("attention", "")) : base.attention;
    int tokens =
        p.intValue("tokens", attention == base.attention ? base.tokens : defaultTokens(attention));
    if (attention == AttentionMode.DEGENERATE && tokens != 1) {
      throw new IllegalArgumentException("attention=degenerate has exactly one token");
    }
    int epochs = options.epochs() > 0 ? options.epochs() : p.intValue("epochs", base.epochs);
    return new BilgsehConfig(
        attention,
        p.floatValue("lambda1", base.lambda1),
        p.floatValue("lambda2", base.lambda2),
        p.floatValue("beta", base.beta),
        p.floatValue("tau", base.tau),
        p.floatValue("lrCodes", base.lrCodes),
        p.floatValue("lrHash", base.lrHash),
        p.intValue("batch", base.batch),
        epochs,
        p.intValue("patience", base.patience),
        tokens,
        p.intValue("heads", base.heads));
  }

  /** The settings by name, as written into a saved model's metadata. */
  public Map<String, String> asParams() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("attention", attention.name().toLowerCase(Locale.ROOT));
    m.put("lambda1", Float.toString(lambda1));
    m.put("lambda2", Float.toString(lambda2));
    m.put("beta", Float.toString(beta));
    m.put("tau", Float.toString(tau));
    m.put("lrCodes", Float.toString(lrCodes));
    m.put("lrHash", Float.toString(lrHash));
    m.put("batch", Integer.toString(batch));
    m.put("epochs", Integer.toString(epochs));
    m.put("patience", Integer.toString(patience));
    m.put("tokens", Integer.toString(tokens));
    m.put("heads", Integer.toString(heads));
    return m;
  }

  private static int defaultTokens(AttentionMode attention) {
    return attention == AttentionMode.LABEL ? tessera().tokens : 1;
  }
}
