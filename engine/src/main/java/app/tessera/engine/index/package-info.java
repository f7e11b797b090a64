/**
 * Exact Hamming-distance search over packed binary codes.
 *
 * <p>{@link app.tessera.engine.index.HammingIndex} is the entry point: FAISS-shaped ({@code add},
 * {@code remove}, {@code search}, {@code rangeSearch}), updated in atomic batches that publish
 * immutable {@link app.tessera.engine.index.IndexSnapshot}s, Lucene-style. Codes live column-wise
 * in segments (never one object per item); a query is answered by a vectorised scan (JDK Vector API
 * XOR + BIT_COUNT with a counting top-k that prunes before any heap work, partitions on a small
 * named pool) or, on large segments where it is cheaper, by exact multi-index hashing (Norouzi,
 * Punjani, Fleet, TPAMI 2014). Every strategy returns identical results: ascending distance, ties
 * in insertion order.
 *
 * <p>Plain Java: no DJL, no JavaFX. {@code bench} holds the synthetic codes and the measurements
 * behind {@code tessera bench search}.
 */
package app.tessera.engine.index;
