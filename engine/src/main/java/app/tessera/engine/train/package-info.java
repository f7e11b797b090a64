/**
 * What every training run shares, for the hashing methods ({@code hashing}) and Tessera's image
 * encoder ({@code encode.TesseraCnnTrainer}): the PyTorch engine, its threads and the device
 * ({@link app.tessera.engine.train.DjlRuntime}, {@link app.tessera.engine.train.TrainingRuntime}),
 * the loop's bookkeeping ({@link app.tessera.engine.train.EarlyStopping}), weights kept as bytes
 * ({@link app.tessera.engine.train.Weights}), resumable checkpoints ({@link
 * app.tessera.engine.train.Checkpoint}) and progress ({@link
 * app.tessera.engine.train.TrainingListener}). It depends on no other engine package, so {@code
 * encode} and {@code hashing} build on it without a cycle.
 */
package app.tessera.engine.train;
