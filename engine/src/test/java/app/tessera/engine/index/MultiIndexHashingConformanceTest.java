package app.tessera.engine.index;

/** Every segment gets tables and every k-NN and range query goes through them. */
class MultiIndexHashingConformanceTest extends HammingIndexConformanceTest {
  @Override
  IndexOptions options() {
    return IndexOptions.defaults()
        .withStrategy(Strategy.MULTI_INDEX)
        .withMultiIndexMinSize(1)
        .withTablesInBackground(false);
  }
}
