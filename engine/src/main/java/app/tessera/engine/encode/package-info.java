/**
 * Image and text encoders: items to float features in one shared space.
 *
 * <ul>
 *   <li>{@link app.tessera.engine.encode.ImageEncoder} and {@link
 *       app.tessera.engine.encode.TextEncoder}: batch interfaces with a stable {@code id()} (name,
 *       version, weights hash) that keys every cached feature.
 *   <li>{@link app.tessera.engine.encode.MiniLmTextEncoder}: all-MiniLM-L6-v2 (int8 ONNX, shipped
 *       in a Maven jar) via ONNX Runtime, 384-d, offline.
 *   <li>{@link app.tessera.engine.encode.TesseraCnnImageEncoder}: Tessera's own CNN, trained from
 *       scratch by {@link app.tessera.engine.encode.TesseraCnnTrainer} against frozen MiniLM
 *       caption features (symmetric InfoNCE), so images land in MiniLM's space.
 *   <li>{@link app.tessera.engine.encode.ClipModel}: CLIP ViT-B/32 from a downloaded, SHA-256
 *       checked {@link app.tessera.engine.download.ModelPack}.
 *   <li>{@link app.tessera.engine.encode.DatasetFeatures}: the entry point for dataset folders
 *       (trains the CNN once per dataset, caches everything).
 *   <li>{@link app.tessera.engine.encode.FeatureStore}: where features are cached ({@link
 *       app.tessera.engine.encode.FileFeatureStore} for datasets; a library's catalogue plugs in
 *       its own).
 * </ul>
 *
 * <p>Native memory: every encode call opens a DJL {@code NDManager} scope for its batch and closes
 * it before returning; models own their parameters until {@code close()}. Threads: PyTorch and ONNX
 * Runtime use every core unless the JVM pins them ({@link app.tessera.engine.train.DjlRuntime}).
 */
package app.tessera.engine.encode;
