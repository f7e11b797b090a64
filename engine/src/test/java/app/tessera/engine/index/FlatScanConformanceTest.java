package app.tessera.engine.index;

class FlatScanConformanceTest extends HammingIndexConformanceTest {
  @Override
  IndexOptions options() {
    return IndexOptions.defaults().withStrategy(Strategy.SCAN).withMultiIndexMinSize(0);
  }
}
