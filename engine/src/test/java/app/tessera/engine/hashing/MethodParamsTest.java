package app.tessera.engine.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings given to several methods at once: each gets the names it knows. */
class MethodParamsTest {
  private final HashingMethod contrastive = HashingMethods.byName("contrastive");
  private final HashingMethod bilgseh = HashingMethods.byName("bilgseh");
  private final HashingMethod rotation = HashingMethods.byName("rotation");
  private final HashingMethod scahn = HashingMethods.byName("scahn");
  private final List<HashingMethod> all = List.of(contrastive, bilgseh, rotation, scahn);

  @Test
  void eachMethodGetsItsOwnAndTheSharedNames() {
    Map<String, String> params =
        Map.of(
            "batch",
            "64",
            "lr",
            "0.003",
            "bilgseh.batch",
            "32",
            "attention",
            "degenerate",
            "ablate",
            "graph");
    assertThat(MethodParams.forMethod(contrastive, all, params))
        .containsOnly(Map.entry("batch", "64"), Map.entry("lr", "0.003"));
    assertThat(MethodParams.forMethod(bilgseh, all, params))
        .containsOnly(Map.entry("batch", "32"), Map.entry("attention", "degenerate"));
    assertThat(MethodParams.forMethod(rotation, all, params)).isEmpty();
    assertThat(MethodParams.forMethod(scahn, all, params))
        .containsOnly(
            Map.entry("batch", "64"), Map.entry("lr", "0.003"), Map.entry("ablate", "graph"));
  }

  @Test
  void aNameNoMethodKnowsOrAMethodNotEvaluatedIsRejected() {
    assertThatThrownBy(() -> MethodParams.forMethod(contrastive, all, Map.of("temprature", "0.3")))
        .hasMessageContaining("no method evaluated knows the setting 'temprature'");
    assertThatThrownBy(
            () ->
                MethodParams.forMethod(
                    contrastive, List.of(contrastive), Map.of("bilgseh.tau", "0.3")))
        .hasMessageContaining("not evaluated");
  }
}
