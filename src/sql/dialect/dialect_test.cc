// The Athena/Trino dialect over a small lake written here (mem://): literals, casts, date
// functions, DECIMAL results typed and printed with their scale, AVG and division rounded half
// away from zero, SHOW/DESCRIBE, the PostgreSQL forms, and the refusals where SQLite would answer
// differently from Trino. The comparison with DuckDB over a real lake is
// tests/sql/dialect.test.mjs.
#include "sql/dialect/dialect.h"

#include <gtest/gtest.h>

#include <atomic>

#include "parquet/column_buffer.h"
#include "parquet/writer/file_writer.h"
#include "sql/lake_discovery.h"
#include "sql/query_engine.h"
#include "sql/query_format.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnBuffer;
using parquet::ColumnSpec;
using parquet::Type;

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;
constexpr int64_t kOct1 = int64_t{20727} * kDayMicros;  // 2026-10-01T00:00:00Z

// main/s/year=2026/month=10/day=0D/part-0.parquet, 4 rows a day for 2 days:
// id 0..7, brand 'Acme'/'acme', total 12.50 + id * 0.01 (DECIMAL(18,2)), timestamp day + id h.
std::shared_ptr<io::FileSystem> MakeLake(const std::string& name) {
  auto fs = *io::FileSystemFromUri("mem://" + name);
  int64_t id = 0;
  for (int day = 1; day <= 2; ++day) {
    const std::string path =
        "main/s/year=2026/month=10/day=0" + std::to_string(day) + "/part-0.parquet";
    std::vector<ColumnSpec> cols = {
        ColumnSpec::Int64("id").Required(), ColumnSpec::String("brand"),
        ColumnSpec::Decimal("total", 18, 2).Required(),
        ColumnSpec::Timestamp("timestamp", parquet::TimeUnit::kMicros).Required()};
    auto writer = *parquet::ParquetFileWriter::Open(*fs->OpenForWrite(path), cols, {});
    std::vector<ColumnBuffer> batch = {ColumnBuffer(Type::kInt64), ColumnBuffer(Type::kByteArray),
                                       ColumnBuffer(Type::kInt64), ColumnBuffer(Type::kInt64)};
    for (int i = 0; i < 4; ++i, ++id) {
      batch[0].AppendInt64(id);
      batch[1].AppendBytes(id % 2 ? "acme" : "Acme");
      batch[2].AppendInt64(1250 + id);
      batch[3].AppendInt64(kOct1 + (day - 1) * kDayMicros + id * 3600 * int64_t{1000000});
    }
    EXPECT_TRUE(writer->Write(batch).ok());
    EXPECT_TRUE(writer->Close().ok());
  }
  return fs;
}

class DialectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    fs_ = MakeLake("sql-dialect-test-" + std::to_string(n++));
    auto tables = DiscoverLakeTables(*fs_);
    ASSERT_TRUE(tables.ok()) << tables.status().ToString();
    tables_ = *tables;
    auto engine = QueryEngine::Open(fs_, tables_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
  }

  Result<QueryResult> Try(const std::string& sql, Dialect dialect = Dialect::kTrino) {
    QueryOptions options;
    options.dialect = dialect;
    return engine_->Execute(sql, options);
  }
  // The result as CSV without the header line.
  std::string Csv(const std::string& sql, Dialect dialect = Dialect::kTrino) {
    auto r = Try(sql, dialect);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    if (!r.ok()) return "";
    std::string csv = FormatResult(*r, ResultFormat::kCsv);
    return csv.substr(csv.find('\n') + 1);
  }
  std::string Error(const std::string& sql, Dialect dialect = Dialect::kTrino) {
    auto r = Try(sql, dialect);
    EXPECT_FALSE(r.ok()) << sql;
    return r.ok() ? "" : r.status().message();
  }

  std::shared_ptr<io::FileSystem> fs_;
  std::vector<table::LakeTable> tables_;
  std::unique_ptr<QueryEngine> engine_;
};

TEST_F(DialectTest, DateAndTimestampLiteralsAndCasts) {
  EXPECT_EQ(Csv("SELECT count(*) FROM s WHERE timestamp >= TIMESTAMP '2026-10-02 00:00:00'"),
            "4\n");
  EXPECT_EQ(Csv("SELECT DATE '2026-10-01', CAST(TIMESTAMP '2026-10-01 05:06:07' AS DATE)"),
            "2026-10-01,2026-10-01\n");
  EXPECT_EQ(Csv("SELECT CAST(timestamp AS DATE) AS d, count(*) FROM s GROUP BY 1 ORDER BY 1"),
            "2026-10-01,4\n2026-10-02,4\n");
  EXPECT_EQ(Csv("SELECT CAST('12' AS BIGINT) + 1, CAST(2.5 AS BIGINT), CAST('1.5' AS DOUBLE)"),
            "13,3,1.5\n");
  EXPECT_EQ(Csv("SELECT CAST(12.345 AS DECIMAL(10,2)), CAST('-0.005' AS DECIMAL(5,2))"),
            "12.35,-0.01\n");
  EXPECT_EQ(Csv("SELECT CAST(total AS VARCHAR) FROM s WHERE id = 0"), "12.50\n");
  EXPECT_EQ(Csv("SELECT try_cast('12a' AS INTEGER), try_cast('x' AS DATE)"), ",\n");
  EXPECT_EQ(Error("SELECT CAST('12a' AS INTEGER)"), "Cannot cast '12a' to INTEGER");
  EXPECT_EQ(Error("SELECT DATE '2026-13-01'"), "Value cannot be cast to date: 2026-13-01");
  EXPECT_NE(Error("SELECT CAST(1 AS JSON)").find("CAST to json is not supported"),
            std::string::npos);
}

TEST_F(DialectTest, DateFunctions) {
  EXPECT_EQ(Csv("SELECT date_add('day', -7, DATE '2026-10-01'), "
                "date_add('month', 1, DATE '2026-01-31'), "
                "date_add('hour', 3, TIMESTAMP '2026-10-01 22:00:00')"),
            "2026-09-24,2026-02-28,2026-10-02 01:00:00\n");
  EXPECT_EQ(
      Csv("SELECT date_diff('day', DATE '2026-10-01', DATE '2026-10-31'), "
          "date_diff('month', DATE '2026-01-31', DATE '2026-02-28'), "
          "date_diff('hour', TIMESTAMP '2026-10-01 00:00:00', TIMESTAMP '2026-10-01 05:59:00')"),
      "30,1,5\n");
  EXPECT_EQ(Csv("SELECT date_trunc('month', DATE '2026-10-17'), "
                "date_trunc('week', TIMESTAMP '2026-10-17 10:00:00')"),
            "2026-10-01,2026-10-12 00:00:00\n");
  EXPECT_EQ(Csv("SELECT date_format(TIMESTAMP '2026-10-04 13:05:09', '%Y/%m/%d %H:%i:%s %W'), "
                "day_of_week(DATE '2026-10-04'), year(DATE '2026-10-04'), "
                "EXTRACT(DOW FROM DATE '2026-10-05')"),
            "2026/10/04 13:05:09 Sunday,7,2026,1\n");
  EXPECT_EQ(Csv("SELECT from_iso8601_timestamp('2026-10-01T10:00:00+05:30')"),
            "2026-10-01 04:30:00\n");
  EXPECT_EQ(Csv("SELECT TIMESTAMP '2026-10-01 00:00:00' - INTERVAL '90' MINUTE, "
                "DATE '2026-10-01' + INTERVAL '1' MONTH"),
            "2026-09-30 22:30:00,2026-11-01\n");
  EXPECT_EQ(Csv("SELECT count(*) FROM s WHERE timestamp >= current_date - INTERVAL '3650' DAY"),
            "8\n");
}

TEST_F(DialectTest, Aggregates) {
  EXPECT_EQ(Csv("SELECT approx_distinct(brand), count_if(id > 5), arbitrary(brand) IS NOT NULL, "
                "max_by(id, total), min_by(brand, id) FROM s"),
            "2,2,1,7,Acme\n");
  EXPECT_EQ(Csv("SELECT id, sum(total) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
                "FROM s ORDER BY id LIMIT 2 OFFSET 1"),
            "1,25.01\n2,25.03\n");
}

TEST_F(DialectTest, ExactDecimals) {
  // 12.50 .. 12.57: the sum 100.28; * 1 keeps scale 2; AVG is 12.535 -> 12.54 (half away).
  EXPECT_EQ(Csv("SELECT SUM(total) * 1, SUM(total), AVG(total), total FROM s WHERE id = 0"),
            "12.50,12.50,12.50,12.50\n");
  EXPECT_EQ(Csv("SELECT SUM(total) * 1, AVG(total), SUM(total) / 3, SUM(total * 2) FROM s"),
            "100.28,12.54,33.43,200.56\n");
  QueryOptions row_path;
  row_path.dialect = Dialect::kTrino;
  row_path.columnar_aggregates = false;
  auto r = engine_->Execute("SELECT AVG(total) FROM s", row_path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(FormatResult(*r, ResultFormat::kCsv), "AVG(total)\n12.54\n");
  QueryOptions trino;
  trino.dialect = Dialect::kTrino;
  auto json = engine_->Execute("SELECT SUM(total) * 1 AS t FROM s", trino);
  ASSERT_TRUE(json.ok());
  EXPECT_NE(QueryResultToJson(*json).find("\"type\":\"DECIMAL(38,2)\"}],\"rows\":[[100.28]]"),
            std::string::npos)
      << QueryResultToJson(*json);
  EXPECT_EQ(Csv("SELECT total - 12.5, total * total FROM s WHERE id = 1"), "0.01,156.5001\n");
  EXPECT_EQ(Csv("SELECT 7 / 2, -7 % 3, 1.0 / 3"), "3,-1,0.3\n");
}

TEST_F(DialectTest, RefusesWhereSqliteDiffers) {
  EXPECT_EQ(Error("SELECT 1 / 0"), "Division by zero");
  EXPECT_EQ(Error("SELECT total / 0 FROM s"), "Division by zero");
  EXPECT_EQ(Error("SELECT id % 0 FROM s"), "Division by zero");
  EXPECT_EQ(Csv("SELECT count(*) FROM s WHERE brand LIKE 'acme'"), "4\n");  // case-sensitive
  EXPECT_EQ(Csv("SELECT count(*) FROM s WHERE brand LIKE 'acme'", Dialect::kSqlite), "8\n");
  EXPECT_NE(Error("SELECT \"no_such\" FROM s").find("no such column: no_such"), std::string::npos);
  EXPECT_NE(Error("SELECT INTERVAL '1' DAY").find("INTERVAL"), std::string::npos);
  EXPECT_NE(Error("SHOW FUNCTIONS").find("is not supported"), std::string::npos);
}

TEST_F(DialectTest, ShowAndDescribe) {
  EXPECT_EQ(Csv("SHOW TABLES"), "s\n");
  EXPECT_EQ(
      Csv("DESCRIBE s"),
      "id,bigint,,\nbrand,varchar,,\ntotal,\"decimal(18,2)\",,\ntimestamp,timestamp,,\n"
      "year,integer,partition key,\nmonth,integer,partition key,\nday,integer,partition key,\n");
  EXPECT_EQ(Csv("SHOW COLUMNS FROM s"), Csv("DESCRIBE s"));
  EXPECT_EQ(Csv("SHOW PARTITIONS s"), "year=2026/month=10/day=01\nyear=2026/month=10/day=02\n");
  EXPECT_NE(Csv("SHOW CREATE TABLE s").find("CREATE EXTERNAL TABLE `s`("), std::string::npos);
  EXPECT_NE(Error("DESCRIBE nope").find("Table 'nope' does not exist"), std::string::npos);
}

TEST_F(DialectTest, PostgresForms) {
  EXPECT_EQ(
      Csv("SELECT '2026-10-01 10:00:00'::timestamp::date, '42'::int8 + 1", Dialect::kTrinoPostgres),
      "2026-10-01,43\n");
  EXPECT_EQ(Csv("SELECT EXTRACT(YEAR FROM timestamp) FROM s LIMIT 1", Dialect::kTrinoPostgres),
            "2026\n");
  auto begin = Try("BEGIN", Dialect::kTrinoPostgres);
  ASSERT_TRUE(begin.ok());
  EXPECT_TRUE(begin->columns.empty());
  auto t = TranslateStatement("SET extra_float_digits = 3", Dialect::kTrinoPostgres, tables_);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, Translation::Kind::kNoOp);
  EXPECT_EQ(t->command_tag, "SET");
}

TEST_F(DialectTest, SqliteSyntaxPassesThrough) {
  auto t = TranslateStatement("SELECT date(timestamp), strftime('%Y', timestamp) FROM s",
                              Dialect::kTrino, tables_);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->changed);
  EXPECT_EQ(Csv("WITH x AS (SELECT id FROM s) SELECT count(*) FROM x"), "8\n");
}

}  // namespace
}  // namespace saleslake::sql
