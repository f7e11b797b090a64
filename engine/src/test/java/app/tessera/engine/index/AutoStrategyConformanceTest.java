package app.tessera.engine.index;

/** Tables on every segment, the cost model choosing per query (with its scan fallback). */
class AutoStrategyConformanceTest extends HammingIndexConformanceTest {
  @Override
  IndexOptions options() {
    return IndexOptions.defaults()
        .withStrategy(Strategy.AUTO)
        .withMultiIndexMinSize(1)
        .withTablesInBackground(false);
  }
}
