package app.tessera.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer connection's statement cache: reuse without any change visible to its callers. */
class StatementCacheTest {
  private static final String SQL = "SELECT id FROM items ORDER BY id";

  @TempDir Path tmp;

  @Test
  void aClosedStatementIsHandedOutAgainButNeverTwiceAtOnce() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      catalog.writeSql(
          c -> {
            PreparedStatement first;
            try (PreparedStatement st = c.prepareStatement(SQL)) {
              first = st.unwrap(PreparedStatement.class);
            }
            try (PreparedStatement again = c.prepareStatement(SQL);
                PreparedStatement nested = c.prepareStatement(SQL)) {
              assertThat(again.unwrap(PreparedStatement.class)).isSameAs(first);
              assertThat(nested.unwrap(PreparedStatement.class)).isNotSameAs(first);
            }
            return null;
          });
    }
  }

  @Test
  void givingAStatementBackEndsItsQueryAndItsUse() {
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      catalog.writeSql(
          c -> {
            long a = ImageRepository.insertItem(c, "image");
            long b = ImageRepository.insertItem(c, "image");
            PreparedStatement leased = c.prepareStatement(SQL);
            ResultSet rows = leased.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(a);
            leased.close(); // the result set is left open by its caller

            assertThat(rows.isClosed()).isTrue();
            assertThat(leased.isClosed()).isTrue();
            assertThatThrownBy(leased::executeQuery).isInstanceOf(SQLException.class);
            try (PreparedStatement st = c.prepareStatement(SQL);
                ResultSet again = st.executeQuery()) {
              assertThat(again.next()).isTrue();
              assertThat(again.getLong(1)).isEqualTo(a); // from the start, not after row one
              assertThat(again.next()).isTrue();
              assertThat(again.getLong(1)).isEqualTo(b);
            }
            return null;
          });
    }
  }

  @Test
  void closingTheCatalogueClosesTheCachedStatements() throws Exception {
    PreparedStatement real;
    try (Catalog catalog = Catalog.open(tmp.resolve("lib.sqlite"))) {
      real =
          catalog.writeSql(
              c -> {
                try (PreparedStatement st = c.prepareStatement(SQL)) {
                  return st.unwrap(PreparedStatement.class);
                }
              });
      assertThat(real.isClosed()).isFalse();
    }
    assertThat(real.isClosed()).isTrue();
  }
}
