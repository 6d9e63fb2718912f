// pgjdbc (Metabase's and DBeaver's driver) against `saleslake serve --pg-listen`: the metadata a
// BI tool reads, and a prepared statement run past prepareThreshold so that pgjdbc switches to a
// named server statement with binary results. Prints JSON lines for tests/sql/pg_wire.test.mjs.
// Usage: java -cp postgresql.jar:. PgJdbcCheck PORT USER
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Properties;

public class PgJdbcCheck {
  static String quote(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", args[1]);
    p.setProperty("sslmode", "disable");
    p.setProperty("prepareThreshold", "5");
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/saleslake";
    try (Connection c = DriverManager.getConnection(url, p)) {
      DatabaseMetaData md = c.getMetaData();
      StringBuilder tables = new StringBuilder();
      try (ResultSet rs = md.getTables(null, "public", "%", new String[] {"TABLE"})) {
        while (rs.next()) tables.append(tables.length() > 0 ? "," : "").append(quote(rs.getString("TABLE_NAME")));
      }
      System.out.println("{\"tables\":[" + tables + "]}");
      StringBuilder cols = new StringBuilder();
      try (ResultSet rs = md.getColumns(null, "public", "sales", "%")) {
        while (rs.next()) {
          cols.append(cols.length() > 0 ? "," : "")
              .append("[").append(quote(rs.getString("COLUMN_NAME"))).append(",")
              .append(quote(rs.getString("TYPE_NAME"))).append(",")
              .append(rs.getInt("DATA_TYPE")).append("]");
        }
      }
      System.out.println("{\"columns\":[" + cols + "]}");
      String sql = "SELECT brand, COUNT(*) AS n, SUM(quantity) AS units, MIN(total) AS low, "
          + "MAX(timestamp) AS latest FROM sales WHERE quantity >= ? AND category = ? "
          + "GROUP BY brand ORDER BY brand";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int run = 1; run <= 8; run++) {
          ps.setInt(1, 2);
          ps.setString(2, args.length > 2 ? args[2] : "Laptop");
          StringBuilder rows = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              BigDecimal low = rs.getBigDecimal("low");
              rows.append(rows.length() > 0 ? "," : "")
                  .append("[").append(quote(rs.getString("brand"))).append(",")
                  .append(rs.getLong("n")).append(",").append(rs.getLong("units")).append(",")
                  .append(quote(low == null ? null : low.toPlainString())).append(",")
                  .append(quote(String.valueOf(rs.getTimestamp("latest")))).append("]");
            }
          }
          System.out.println("{\"run\":" + run + ",\"rows\":[" + rows + "]}");
        }
      }
      // Lake columns (int8, numeric, timestamp, date-less text) come back binary once prepared.
      String direct = "SELECT transaction_id, quantity, total, timestamp FROM sales "
          + "WHERE store_id = ? AND quantity = ? ORDER BY transaction_id LIMIT 25";
      try (PreparedStatement ps = c.prepareStatement(direct)) {
        for (int run = 1; run <= 8; run++) {
          ps.setString(1, args.length > 3 ? args[3] : "S001");
          ps.setLong(2, 3);
          StringBuilder rows = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows.append(rows.length() > 0 ? "," : "")
                  .append("[").append(quote(rs.getString(1))).append(",")
                  .append(rs.getLong(2)).append(",")
                  .append(quote(rs.getBigDecimal(3).toPlainString())).append(",")
                  .append(quote(String.valueOf(rs.getTimestamp(4)))).append("]");
            }
          }
          System.out.println("{\"direct\":" + run + ",\"rows\":[" + rows + "]}");
        }
      }
      // DECIMAL expressions (SUM over DECIMAL) are numeric: BigDecimal with the column's scale,
      // text at first, binary past prepareThreshold; dates from the dialect are DATE.
      String sums = "SELECT brand, SUM(total) AS revenue, AVG(total) AS mean, "
          + "CAST(MIN(timestamp) AS DATE) AS first_day FROM sales WHERE category = ? "
          + "GROUP BY brand ORDER BY brand";
      try (PreparedStatement ps = c.prepareStatement(sums)) {
        for (int run = 1; run <= 8; run++) {
          ps.setString(1, args.length > 2 ? args[2] : "Laptop");
          StringBuilder rows = new StringBuilder();
          StringBuilder types = new StringBuilder();
          try (ResultSet rs = ps.executeQuery()) {
            java.sql.ResultSetMetaData md2 = rs.getMetaData();
            for (int i = 1; i <= md2.getColumnCount(); i++) {
              types.append(i > 1 ? "," : "").append(quote(md2.getColumnTypeName(i)));
            }
            while (rs.next()) {
              rows.append(rows.length() > 0 ? "," : "")
                  .append("[").append(quote(rs.getString(1))).append(",")
                  .append(quote(rs.getBigDecimal(2).toPlainString())).append(",")
                  .append(quote(rs.getBigDecimal(3).toPlainString())).append(",")
                  .append(quote(String.valueOf(rs.getDate(4)))).append("]");
            }
          }
          System.out.println("{\"decimal\":" + run + ",\"types\":[" + types + "],\"rows\":[" + rows + "]}");
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS INTEGER) + 1 AS x, ?::text AS y")) {
        ps.setInt(1, 41);
        ps.setString(2, "it's");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          System.out.println("{\"x\":" + rs.getInt(1) + ",\"y\":" + quote(rs.getString(2)) + "}");
        }
      }
    }
  }
}
