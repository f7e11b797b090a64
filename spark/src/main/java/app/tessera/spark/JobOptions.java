package app.tessera.spark;

import app.tessera.engine.Device;
import java.io.Serializable;
import java.util.List;

/**
 * What one run of the job does.
 *
 * @param inputs folders to read recursively (Hadoop paths: local, {@code hdfs://}, {@code s3a://})
 * @param manifests CSV or Parquet files naming images and their captions and labels
 * @param models model bundle folders (Hadoop paths); every image and caption gets a code per bundle
 * @param out the output folder (Hadoop path)
 * @param features also write the float features (per encoder)
 * @param labelsFromFolders label each image with the name of its folder, as {@code tessera index
 *     --labels-from-folders}
 * @param partitions Spark partitions to split the files into (0: about 256 files each, at least the
 *     cluster's default parallelism)
 * @param batch images per encoder call
 * @param device where the networks run on the executors
 * @param overwrite replace an existing output folder
 */
public record JobOptions(
    List<String> inputs,
    List<String> manifests,
    List<String> models,
    String out,
    boolean features,
    boolean labelsFromFolders,
    int partitions,
    int batch,
    Device device,
    boolean overwrite)
    implements Serializable {
  public JobOptions {
    inputs = List.copyOf(inputs);
    manifests = List.copyOf(manifests);
    models = List.copyOf(models);
    if (inputs.isEmpty() && manifests.isEmpty()) {
      throw new IllegalArgumentException("give at least one --input folder or --manifest file");
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException("give at least one --model bundle folder");
    }
    if (out == null || out.isBlank()) {
      throw new IllegalArgumentException("give the output folder (--out)");
    }
    if (batch <= 0 || partitions < 0) {
      throw new IllegalArgumentException("--batch must be positive and --partitions not negative");
    }
  }
}
