package app.tessera.bench;

/**
 * One line of {@code tessera bench search}.
 *
 * @param index what answered the queries (e.g. {@code flat-scan}, {@code multi-index})
 * @param codes how the data was drawn ({@code uniform}, {@code clustered}, or {@code -})
 * @param n number of items
 * @param bits code length (for float baselines: the dimension times 32)
 * @param k neighbours asked for
 * @param p50Ms median milliseconds per query
 * @param p99Ms 99th percentile milliseconds per query
 * @param ramBytes memory the index holds (codes, ids, tables; floats for float baselines)
 * @param queries number of timed queries
 * @param note anything else worth knowing about the row
 */
public record BenchRow(
    String index,
    String codes,
    long n,
    int bits,
    int k,
    double p50Ms,
    double p99Ms,
    long ramBytes,
    int queries,
    String note) {}
