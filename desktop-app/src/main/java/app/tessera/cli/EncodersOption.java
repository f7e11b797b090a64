package app.tessera.cli;

import app.tessera.engine.api.Experiments;
import picocli.CommandLine.Option;

/**
 * {@code --encoders tessera|clip}: the features {@code train} and {@code eval} hash (dataset
 * folders and libraries).
 */
public final class EncodersOption {
  @Option(
      names = "--encoders",
      defaultValue = "tessera",
      description =
          "Features: tessera (MiniLM + Tessera's CNN: on a dataset trained on its training rows, on"
              + " a library the --base or active model's; offline) or clip (CLIP ViT-B/32, after"
              + " `tessera models download clip-vit-b32`)."
              + " Default: ${DEFAULT-VALUE}.")
  Experiments.Encoders encoders;

  Experiments experiments() {
    return Experiments.with(encoders);
  }
}
