package app.tessera.engine.api;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.PathText;
import app.tessera.engine.TesseraException;
import app.tessera.engine.download.ModelDownloader;
import app.tessera.engine.download.ModelPack;
import app.tessera.engine.encode.ClipModel;
import app.tessera.engine.encode.ImageEncoder;
import app.tessera.engine.encode.MiniLmTextEncoder;
import app.tessera.engine.encode.TesseraCnnImageEncoder;
import app.tessera.engine.encode.TextEncoder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The image encoder and the text encoder a model bundle codes with, known by the names {@code
 * bundle.json} gives them: {@value #TESSERA_CNN} (Tessera's CNN, its saved folder inside the
 * bundle), {@value #MINILM} (ships inside the application) and {@value #CLIP} (an installed CLIP
 * pack, either tower; the bundle records the pack's pinned files, checked before it is opened). Any
 * pair is allowed (CLIP + CLIP, CLIP image + MiniLM, Tessera's CNN + MiniLM); label-free methods
 * need a pair whose features share one space.
 */
public final class EncoderPair implements AutoCloseable {
  public static final String TESSERA_CNN = "tessera-cnn";
  public static final String MINILM = "minilm";
  public static final String CLIP = "clip";

  private final String imageKind;
  private final String textKind;
  private final ImageEncoder image;
  private final TextEncoder text;
  private final Path imageEncoderDir;
  private final ModelPack pack;
  private final ClipModel clip;

  private EncoderPair(
      String imageKind,
      String textKind,
      ImageEncoder image,
      TextEncoder text,
      Path imageEncoderDir,
      ModelPack pack,
      ClipModel clip) {
    this.imageKind = imageKind;
    this.textKind = textKind;
    this.image = image;
    this.text = text;
    this.imageEncoderDir = imageEncoderDir;
    this.pack = pack;
    this.clip = clip;
  }

  /**
   * The encoders {@code --encoders} names for a library: {@code tessera} = the CNN and MiniLM of
   * {@code bundleDir} (a library's active model; the shipped default's when that one has other
   * encoders); {@code clip} = both towers of the installed CLIP ViT-B/32, checked against its pins.
   */
  public static EncoderPair of(Experiments.Encoders which, Path bundleDir, Device device)
      throws IOException {
    return switch (which) {
      case TESSERA -> {
        ModelBundle.Manifest m = ModelBundle.readManifest(bundleDir);
        boolean tessera = m.imageEncoder().equals(TESSERA_CNN) && m.textEncoder().equals(MINILM);
        yield ModelBundle.encodersOf(tessera ? bundleDir : ShippedModels.defaultBundle(), device);
      }
      case CLIP ->
          clip(ClipModel.VIT_B32, ModelDownloader.packDir(AppDirs.modelsDir(), ClipModel.VIT_B32));
    };
  }

  /**
   * Tessera's own encoders (the CNN and MiniLM) of the bundle a person named as the base of a
   * library model. Unlike {@link #of}, nothing falls back: a bundle with other encoders is refused
   * with what to do instead.
   *
   * @throws TesseraException (bad input) when {@code bundleDir}'s encoders are not Tessera's
   */
  public static EncoderPair ofBase(Path bundleDir, Device device) throws IOException {
    ModelBundle.Manifest m = ModelBundle.readManifest(bundleDir);
    if (!m.imageEncoder().equals(TESSERA_CNN) || !m.textEncoder().equals(MINILM)) {
      throw new TesseraException(
          TesseraException.Kind.BAD_INPUT,
          bundleDir,
          "--base "
              + PathText.display(bundleDir)
              + " encodes with "
              + m.imageEncoder()
              + " + "
              + m.textEncoder()
              + ", not Tessera's own encoders: to train on CLIP features use --encoders clip"
              + " (without --base)");
    }
    return ModelBundle.encodersOf(bundleDir, device);
  }

  /** Both towers of the CLIP pack {@code pack} installed in {@code dir} (checked first). */
  public static EncoderPair clip(ModelPack pack, Path dir) throws IOException {
    ClipModel model = ClipModel.open(pack, dir);
    return new EncoderPair(
        CLIP, CLIP, model.imageEncoder(), model.textEncoder(), null, pack, model);
  }

  /**
   * Opens the pair {@code bundle.json} names: {@code imageEncoderDir} is the CNN's folder (for
   * {@value #TESSERA_CNN}), {@code pack} the pinned CLIP pack found in {@code packsDir} (for
   * {@value #CLIP}).
   */
  static EncoderPair open(
      String imageKind,
      String textKind,
      Path imageEncoderDir,
      ModelPack pack,
      Path packsDir,
      Device device)
      throws IOException {
    for (String kind : new String[] {imageKind, textKind}) {
      if (!kind.equals(TESSERA_CNN) && !kind.equals(MINILM) && !kind.equals(CLIP)) {
        throw new IOException("Unknown encoder '" + kind + "' (known: tessera-cnn, minilm, clip)");
      }
    }
    if (imageKind.equals(MINILM) || textKind.equals(TESSERA_CNN)) {
      throw new IOException(
          "Unsupported encoders " + imageKind + " + " + textKind + " (images first, then texts)");
    }
    ClipModel clip = null;
    ImageEncoder image = null;
    try {
      if (imageKind.equals(CLIP) || textKind.equals(CLIP)) {
        if (pack == null) {
          throw new IOException("A bundle with CLIP encoders must name the CLIP pack it used");
        }
        clip = ClipModel.open(pack, ModelDownloader.packDir(packsDir, pack));
      }
      image =
          imageKind.equals(CLIP)
              ? clip.imageEncoder()
              : TesseraCnnImageEncoder.load(imageEncoderDir, device);
      TextEncoder text = textKind.equals(CLIP) ? clip.textEncoder() : MiniLmTextEncoder.open();
      return new EncoderPair(
          imageKind,
          textKind,
          image,
          text,
          imageKind.equals(TESSERA_CNN) ? imageEncoderDir : null,
          clip != null ? pack : null,
          clip);
    } catch (IOException | RuntimeException e) {
      if (image != null) {
        image.close();
      }
      if (clip != null) {
        clip.close();
      }
      throw e;
    }
  }

  /** {@value #TESSERA_CNN} or {@value #CLIP}. */
  public String imageKind() {
    return imageKind;
  }

  /** {@value #MINILM} or {@value #CLIP}. */
  public String textKind() {
    return textKind;
  }

  public ImageEncoder imageEncoder() {
    return image;
  }

  public TextEncoder textEncoder() {
    return text;
  }

  /** The CNN's saved folder, copied into bundles made with it; null for CLIP. */
  Path imageEncoderDir() {
    return imageEncoderDir;
  }

  /** The CLIP pack with its pinned files, recorded in bundles made with it; null without CLIP. */
  ModelPack pack() {
    return pack;
  }

  /** A short description, e.g. {@code clip-vit-b32 image + text}. */
  public String describe() {
    String imageName = imageKind.equals(CLIP) ? pack.name() + " image" : image.id();
    String textName = textKind.equals(CLIP) ? pack.name() + " text" : text.id();
    return imageName + " + " + textName;
  }

  @Override
  public void close() {
    try {
      if (!imageKind.equals(CLIP)) {
        image.close();
      }
      if (!textKind.equals(CLIP)) {
        text.close();
      }
    } finally {
      if (clip != null) {
        clip.close();
      }
    }
  }
}
