// The query engine over small Parquet files written here (mem://): results, exact decimals,
// pruning counted, read-only refusals, timeouts and error positions. The comparison with DuckDB
// over a real lake is tests/sql/query.test.mjs.
#include "sql/query_engine.h"

#include <gtest/gtest.h>

#include <atomic>

#include "parquet/column_buffer.h"
#include "parquet/writer/file_writer.h"
#include "sql/lake_discovery.h"
#include "sql/query_format.h"

namespace saleslake::sql {
namespace {

using parquet::ColumnBuffer;
using parquet::ColumnSpec;
using parquet::Type;

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;
constexpr int64_t kMay1 = int64_t{20574} * kDayMicros;  // 2026-05-01T00:00:00Z

// Writes main/t/year=2026/month=05/day=DD/part-N.parquet: 3 days x 2 files x 40 rows, row
// groups of 10 rows. id runs 0..239 in file order; amount = 0.10 for every row (an inexact
// double, so a floating-point sum drifts); name NULL when id % 7 == 0.
std::shared_ptr<io::FileSystem> MakeLake(const std::string& name) {
  auto fs = *io::FileSystemFromUri("mem://" + name);
  int64_t id = 0;
  for (int day = 1; day <= 3; ++day) {
    for (int part = 0; part < 2; ++part) {
      const std::string path = "main/t/year=2026/month=05/day=0" + std::to_string(day) + "/part-" +
                               std::to_string(part) + ".parquet";
      std::vector<ColumnSpec> cols = {
          ColumnSpec::Int64("id").Required(), ColumnSpec::String("name"),
          ColumnSpec::Decimal("amount", 18, 2).Required(),
          ColumnSpec::Timestamp("timestamp", parquet::TimeUnit::kMicros).Required(),
          ColumnSpec::Int32("qty").Required()};
      parquet::WriterOptions options;
      options.row_group_rows = 10;
      auto writer = *parquet::ParquetFileWriter::Open(*fs->OpenForWrite(path), cols, options);
      std::vector<ColumnBuffer> batch = {ColumnBuffer(Type::kInt64), ColumnBuffer(Type::kByteArray),
                                         ColumnBuffer(Type::kInt64), ColumnBuffer(Type::kInt64),
                                         ColumnBuffer(Type::kInt32)};
      for (int i = 0; i < 40; ++i, ++id) {
        batch[0].AppendInt64(id);
        if (id % 7 == 0) {
          batch[1].AppendNull();
        } else {
          batch[1].AppendBytes("n" + std::to_string(id % 5));
        }
        batch[2].AppendInt64(10);
        batch[3].AppendInt64(kMay1 + (day - 1) * kDayMicros + id * 1000000);
        batch[4].AppendInt32(static_cast<int32_t>(id % 3 + 1));
      }
      EXPECT_TRUE(writer->Write(batch).ok());
      EXPECT_TRUE(writer->Close().ok());
    }
  }
  return fs;
}

class QueryEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    fs_ = MakeLake("sql-engine-test-" + std::to_string(n++));
    auto tables = DiscoverLakeTables(*fs_);
    ASSERT_TRUE(tables.ok()) << tables.status().ToString();
    ASSERT_EQ(tables->size(), 1u);
    (*tables)[0].aliases.push_back("t_alias");
    auto engine = QueryEngine::Open(fs_, *tables);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
  }

  QueryResult Run(const std::string& sql, QueryOptions options = {}) {
    if (sqlite_only_) options.columnar_aggregates = false;
    auto r = engine_->Execute(sql, options);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? *r : QueryResult();
  }
  Value One(const std::string& sql) {
    QueryResult r = Run(sql);
    EXPECT_EQ(r.rows.size(), 1u) << sql;
    return r.rows.empty() ? Value() : r.rows[0][0];
  }

  std::shared_ptr<io::FileSystem> fs_;
  std::unique_ptr<QueryEngine> engine_;
  bool sqlite_only_ = false;  // every statement through SQLite's virtual tables
};

TEST_F(QueryEngineTest, CountsAndTypes) {
  QueryResult r = Run("SELECT id, name, amount, timestamp, qty, year, month, day FROM t LIMIT 1");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.columns[2].declared_type, "DECIMAL(18,2)");
  EXPECT_EQ(r.columns[3].declared_type, "TIMESTAMP");
  EXPECT_EQ(r.rows[0][0], Value(int64_t{0}));
  EXPECT_EQ(r.rows[0][1], Value());
  EXPECT_EQ(r.rows[0][2], Value(0.1));
  EXPECT_EQ(r.rows[0][3], Value(std::string("2026-05-01 00:00:00")));
  EXPECT_EQ(r.rows[0][5], Value(int64_t{2026}));
  EXPECT_EQ(r.rows[0][6], Value(int64_t{5}));
  EXPECT_EQ(One("SELECT count(*) FROM t"), Value(int64_t{240}));
  EXPECT_EQ(One("SELECT count(name) FROM t"), Value(int64_t{240 - 35}));
  EXPECT_EQ(One("SELECT count(*) FROM t WHERE name IS NULL"), Value(int64_t{35}));
  EXPECT_EQ(One("SELECT count(*) FROM t_alias"), Value(int64_t{240}));
}

TEST_F(QueryEngineTest, DecimalSumsAreExact) {
  // 240 x 0.10: a double sum drifts (23.999999999999...), the exact one is 24.
  EXPECT_EQ(One("SELECT sum(amount) FROM t"), Value(24.0));
  EXPECT_EQ(One("SELECT total(amount) FROM t"), Value(24.0));
  EXPECT_EQ(One("SELECT decimal_sum(amount) FROM t"),
            Value(std::string("24.0")));  // the digits the values need
  EXPECT_EQ(One("SELECT avg(amount) FROM t"), Value(0.1));
  EXPECT_EQ(One("SELECT sum(amount * qty) FROM t"), Value(48.0));
  EXPECT_EQ(One("SELECT sum(qty) FROM t"), Value(int64_t{480}));  // integers stay integers
  EXPECT_EQ(One("SELECT sum(amount) FROM t WHERE 0"), Value());
  EXPECT_EQ(One("SELECT sum(x) FROM (SELECT 0.1 AS x UNION ALL SELECT 0.2)"), Value(0.3));
  // A window: running exact sums.
  QueryResult w =
      Run("SELECT id, sum(amount) OVER (ORDER BY id ROWS 2 PRECEDING) FROM t "
          "ORDER BY id LIMIT 4");
  ASSERT_EQ(w.rows.size(), 4u);
  EXPECT_EQ(w.rows[3][1], Value(0.3));
}

TEST_F(QueryEngineTest, PartitionPruning) {
  for (bool sqlite_only : {false, true}) {
    sqlite_only_ = sqlite_only;
    QueryResult r = Run("SELECT count(*), min(id) FROM t WHERE day = 2");
    EXPECT_EQ(r.rows[0][0], Value(int64_t{80}));
    EXPECT_EQ(r.rows[0][1], Value(int64_t{80}));
    EXPECT_EQ(r.scan.files_total, 6);
    EXPECT_EQ(r.scan.files_pruned, 4);
    EXPECT_EQ(r.scan.files_opened, 2);

    r = Run("SELECT count(*) FROM t WHERE day IN (1, 3) AND month = '05'");
    EXPECT_EQ(r.rows[0][0], Value(int64_t{160}));
    EXPECT_EQ(r.scan.files_pruned, 2);

    // Through the timestamp the partitions derive from (one day of margin either side).
    r = Run("SELECT count(*) FROM t WHERE timestamp >= '2026-05-03'");
    EXPECT_EQ(r.rows[0][0], Value(int64_t{80}));
    EXPECT_EQ(r.scan.files_pruned, 2);       // day 1 is two days before: never opened
    EXPECT_GT(r.scan.row_groups_pruned, 0);  // day 2's row groups excluded by statistics
  }
}

TEST_F(QueryEngineTest, StatisticsPruning) {
  for (bool sqlite_only : {false, true}) {
    sqlite_only_ = sqlite_only;
    QueryResult r = Run("SELECT name FROM t WHERE id = 125");
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0][0], Value(std::string("n0")));
    EXPECT_EQ(r.scan.row_groups_total, 24);
    EXPECT_EQ(r.scan.row_groups_read, 1);
    EXPECT_EQ(r.scan.rows_read, 10);

    r = Run("SELECT count(*) FROM t WHERE id BETWEEN 100 AND 119");
    EXPECT_EQ(r.rows[0][0], Value(int64_t{20}));
    EXPECT_EQ(r.scan.row_groups_read, 2);

    r = Run("SELECT count(*) FROM t WHERE id IN (3, 230)");
    EXPECT_EQ(r.rows[0][0], Value(int64_t{2}));
    EXPECT_EQ(r.scan.row_groups_read, 2);

    r = Run("SELECT count(*) FROM t WHERE amount > 0.10");
    EXPECT_EQ(r.rows[0][0], Value(int64_t{0}));
    r = Run("SELECT count(*) FROM t WHERE amount >= 0.1 AND amount <= 0.1");
    EXPECT_EQ(r.rows[0][0], Value(int64_t{240}));
  }
}

TEST_F(QueryEngineTest, LimitStopsEarly) {
  QueryResult r = Run("SELECT id FROM t LIMIT 3");
  EXPECT_EQ(r.rows.size(), 3u);
  EXPECT_LE(r.scan.rows_read, 3);
  EXPECT_EQ(r.scan.files_opened, 1);
  // With ORDER BY everything is read.
  r = Run("SELECT id FROM t ORDER BY id DESC LIMIT 3");
  EXPECT_EQ(r.rows[0][0], Value(int64_t{239}));
  EXPECT_EQ(r.scan.rows_read, 240);
}

TEST_F(QueryEngineTest, MaxRowsTruncates) {
  QueryOptions options;
  options.max_rows = 5;
  QueryResult r = Run("SELECT id FROM t", options);
  EXPECT_EQ(r.rows.size(), 5u);
  EXPECT_TRUE(r.truncated);
  r = Run("SELECT id FROM t LIMIT 5", options);
  EXPECT_FALSE(r.truncated);
}

TEST_F(QueryEngineTest, TimeFunctions) {
  EXPECT_EQ(One("SELECT date_trunc('month', '2026-05-17 10:11:12')"),
            Value(std::string("2026-05-01 00:00:00")));
  EXPECT_EQ(One("SELECT date_trunc('week', '2026-05-17')"),  // a Sunday
            Value(std::string("2026-05-11 00:00:00")));
  EXPECT_EQ(One("SELECT year(timestamp) * 100 + month(timestamp) FROM t LIMIT 1"),
            Value(int64_t{202605}));
  EXPECT_EQ(One("SELECT count(DISTINCT date(timestamp)) FROM t"), Value(int64_t{3}));
  EXPECT_EQ(One("SELECT strftime('%Y-%m', max(timestamp)) FROM t"), Value(std::string("2026-05")));
  QueryResult r = Run("SELECT date_trunc('day', timestamp) AS d, count(*) FROM t GROUP BY d");
  EXPECT_EQ(r.rows.size(), 3u);
  auto bad = engine_->Execute("SELECT date_trunc('fortnight', timestamp) FROM t");
  EXPECT_FALSE(bad.ok());
}

TEST_F(QueryEngineTest, ReadOnly) {
  for (const char* sql :
       {"INSERT INTO t(id) VALUES (1)", "DELETE FROM t", "UPDATE t SET id = 1", "CREATE TABLE x(a)",
        "DROP TABLE t", "ATTACH DATABASE '/tmp/x.db' AS x", "PRAGMA writable_schema = 1",
        "PRAGMA journal_mode = WAL", "CREATE TEMP VIEW v AS SELECT 1", "BEGIN",
        "VACUUM INTO '/tmp/sl-sql-vacuum.db'"}) {
    auto r = engine_->Execute(sql);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied)
        << sql << ": " << r.status().ToString();
  }
  EXPECT_EQ(Run("PRAGMA table_info(t)").rows.size(), 8u);
}

TEST_F(QueryEngineTest, Timeout) {
  QueryOptions options;
  options.timeout_seconds = 0.2;
  auto r = engine_->Execute(
      "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT max(n) FROM c",
      options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTimeout) << r.status().ToString();
  // The engine is usable afterwards.
  EXPECT_EQ(One("SELECT count(*) FROM t"), Value(int64_t{240}));
}

TEST_F(QueryEngineTest, ErrorsPointAtThePosition) {
  QueryError where;
  auto r = engine_->Execute("SELECT id\nFROM t\nWHERE nope = 1", {}, &where);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("no such column: nope"), std::string::npos);
  EXPECT_EQ(where.line, 3);
  EXPECT_EQ(where.column, 7);
  EXPECT_NE(r.status().message().find("line 3, column 7"), std::string::npos);

  r = engine_->Execute("SELECT * FORM t", {}, &where);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(where.offset, 9);

  r = engine_->Execute("SELECT * FROM nowhere", {}, &where);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no such table: nowhere"), std::string::npos);

  r = engine_->Execute("SELECT 1; SELECT 2", {}, &where);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(where.column, 11);
  EXPECT_TRUE(engine_->Execute("SELECT 1;  -- done\n").ok());
  EXPECT_FALSE(engine_->Execute("   ").ok());
}

TEST_F(QueryEngineTest, JsonAndText) {
  QueryResult r =
      Run("SELECT 1 AS a, 2.5 AS b, 'x\"y' AS c, NULL AS d, x'00ff' AS e, "
          "sum(amount) AS s FROM t");
  const std::string json = QueryResultToJson(r);
  EXPECT_NE(json.find(R"("rows":[[1,2.5,"x\"y",null,"00ff",24]])"), std::string::npos) << json;
  const std::string csv = FormatResult(r, ResultFormat::kCsv);
  EXPECT_EQ(csv.substr(0, csv.find('\n', csv.find('\n') + 1)),
            "a,b,c,d,e,s\n1,2.5,\"x\"\"y\",,x'00ff',24");
  EXPECT_EQ(CellText(Value(1234567890123.45)), "1234567890123.45");
}

// Statements of the columnar aggregate shape give exactly SQLite's rows, names and types.
TEST_F(QueryEngineTest, ColumnarAggregatesMatchSqlite) {
  const char* kQueries[] = {
      "SELECT count(*) FROM t",
      "SELECT SUM(amount), AVG(amount), COUNT(name), MIN(id), MAX(id) FROM t",
      "SELECT name, SUM(amount), count(*) FROM t GROUP BY name",
      "SELECT name, SUM(amount) AS s FROM t GROUP BY name ORDER BY s DESC, name LIMIT 2",
      "SELECT day, qty, SUM(amount * qty), AVG(qty) FROM t GROUP BY day, qty ORDER BY 3 DESC, 1, 2",
      "SELECT date(timestamp) AS d, SUM(amount) FROM t GROUP BY d ORDER BY d",
      "SELECT SUM(qty), SUM(id - qty * 2) FROM t WHERE day = 2 AND id BETWEEN 90 AND 150",
      ("SELECT name, MIN(timestamp), MAX(name), MIN(amount) FROM t WHERE name IN ('n1', 'n3') "
       "GROUP BY name"),
      "SELECT count(*) FROM t WHERE timestamp >= '2026-05-02 00:00:10' AND id <> 100",
      "SELECT qty, count(*) FROM t WHERE amount > 0.05 GROUP BY qty ORDER BY qty DESC",
      "SELECT \"name\" AS \"N\", sum(amount) FROM t GROUP BY 1 ORDER BY 2, 1 LIMIT 2 OFFSET 1",
      "SELECT SUM(amount) FROM t WHERE id < 0",
      "SELECT month, count(*) FROM t GROUP BY month",
      "SELECT count(*), SUM(qty) FROM t_alias WHERE month = 5;",
      "SELECT x.name, sum(x.amount) FROM t AS x GROUP BY x.name",
  };
  // The same rows for every thread count (the 6 files split among the threads, partial
  // groups merged).
  for (const char* sql : kQueries) {
    for (int threads : {1, 2, 3, 8}) {
      QueryOptions columnar, sqlite;
      columnar.threads = threads;
      sqlite.columnar_aggregates = false;
      QueryResult a = Run(sql, columnar);
      QueryResult b = Run(sql, sqlite);
      EXPECT_TRUE(a.columnar) << sql;
      EXPECT_FALSE(b.columnar) << sql;
      ASSERT_EQ(a.columns.size(), b.columns.size()) << sql;
      for (size_t i = 0; i < a.columns.size(); ++i) {
        EXPECT_EQ(a.columns[i].name, b.columns[i].name) << sql;
        EXPECT_EQ(a.columns[i].declared_type, b.columns[i].declared_type) << sql;
      }
      EXPECT_EQ(a.rows, b.rows) << sql << " threads " << threads << "\n"
                                << QueryResultToJson(a) << "\n"
                                << QueryResultToJson(b);
      EXPECT_EQ(a.scan.rows_read, b.scan.rows_read) << sql;
    }
  }
  // Deep nesting (within what SQLite parses) is left to SQLite.
  std::string deep =
      "SELECT sum(" + std::string(80, '(') + "qty" + std::string(80, ')') + ") FROM t";
  EXPECT_FALSE(Run(deep).columnar);
  // Shapes left to SQLite.
  for (const char* sql :
       {"SELECT id FROM t LIMIT 1", "SELECT count(DISTINCT name) FROM t",
        "SELECT name, count(*) FROM t GROUP BY name HAVING count(*) > 1",
        "SELECT sum(amount) FROM t WHERE name IS NULL", "SELECT total(amount) FROM t"}) {
    EXPECT_FALSE(Run(sql).columnar) << sql;
  }
}

// A dimension beside t: main/d/part-0.parquet, name -> label, rank, weight. 'n1' twice (a join
// fans out), 'n9' matches nothing in t, one NULL name; t's NULL names match nothing either.
void AddDimension(io::FileSystem& fs) {
  std::vector<ColumnSpec> cols = {ColumnSpec::String("name"), ColumnSpec::String("label"),
                                  ColumnSpec::Int32("rank"), ColumnSpec::Decimal("weight", 18, 2)};
  auto writer = *parquet::ParquetFileWriter::Open(*fs.OpenForWrite("main/d/part-0.parquet"), cols,
                                                  parquet::WriterOptions());
  std::vector<ColumnBuffer> batch = {ColumnBuffer(Type::kByteArray), ColumnBuffer(Type::kByteArray),
                                     ColumnBuffer(Type::kInt32), ColumnBuffer(Type::kInt64)};
  const struct {
    const char* name;
    const char* label;
    int rank;
    int64_t weight;
  } kRows[] = {{"n0", "zero", 1, 150},   {"n1", "one", 2, 225}, {"n1", "uno", 3, -5},
               {"n2", "two", 1, 1},      {"n3", "one", 2, 99},  {"n9", "nine", 9, 7},
               {nullptr, "nobody", 1, 3}};
  for (const auto& r : kRows) {
    if (r.name == nullptr) {
      batch[0].AppendNull();
    } else {
      batch[0].AppendBytes(r.name);
    }
    batch[1].AppendBytes(r.label);
    batch[2].AppendInt32(r.rank);
    batch[3].AppendInt64(r.weight);
  }
  EXPECT_TRUE(writer->Write(batch).ok());
  EXPECT_TRUE(writer->Close().ok());
}

// Joins with a small table on the columnar path give exactly SQLite's rows, fan-out, keys
// without a match and NULL keys included; shapes it does not take are left to SQLite.
// A second statement after one the dialect rewrote (its INTERVAL) is refused without a position:
// an offset into the rewritten text would point past the statement as written (found by
// fuzz_sql_query).
TEST(QueryEngineDialect, ASecondStatementAfterARewriteHasNoPositionPastTheText) {
  auto fs = MakeLake("sql-engine-two-statements");
  auto tables = DiscoverLakeTables(*fs);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  auto engine = QueryEngine::Open(fs, *tables);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  for (const std::string sql :
       {"SELECT now() - interval '1 day 2 hours', '2026-05-0'; SELECT 1", "SELECT 1; SELECT 2"}) {
    QueryOptions options;
    options.dialect = Dialect::kTrino;
    QueryError where;
    auto r = (*engine)->Execute(sql, options, &where);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_NE(r.status().message().find("only one statement per query"), std::string::npos)
        << r.status().ToString();
    EXPECT_LE(where.offset, static_cast<int>(sql.size())) << sql;
  }
}

TEST(QueryEngineJoin, ColumnarJoinsMatchSqlite) {
  auto fs = MakeLake("sql-engine-join");
  AddDimension(*fs);
  auto tables = DiscoverLakeTables(*fs);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  ASSERT_EQ(tables->size(), 2u);
  auto engine = QueryEngine::Open(fs, *tables);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto run = [&](const std::string& sql, bool columnar, int threads = 1) {
    QueryOptions options;
    options.columnar_aggregates = columnar;
    options.threads = threads;
    options.dialect = Dialect::kTrino;
    auto r = (*engine)->Execute(sql, options);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? *r : QueryResult();
  };
  const char* kQueries[] = {
      "SELECT d.label, SUM(t.amount), count(*) FROM t JOIN d ON t.name = d.name GROUP BY 1",
      ("SELECT count(*), SUM(t.qty * d.weight), MIN(d.label), MAX(d.rank), AVG(d.weight), "
       "MIN(t.timestamp), COUNT(d.name) FROM t JOIN d ON d.name = t.name"),
      ("SELECT t.day, d.rank, SUM(t.amount) AS s FROM d JOIN t ON t.name = d.name "
       "WHERE t.day >= 2 AND d.rank < 3 GROUP BY 1, 2 ORDER BY s DESC, 1, 2"),
      ("SELECT d.label, date(t.timestamp) AS dd, count(*) FROM t INNER JOIN d "
       "ON t.name = d.name AND t.qty = d.rank GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 5"),
      "SELECT count(*), SUM(t.amount) FROM t JOIN d ON t.name = d.name WHERE d.label = 'none'",
      "SELECT d.name, SUM(t.amount), MAX(t.id) FROM t JOIN d ON t.id = d.rank GROUP BY d.name",
      ("SELECT label, SUM(amount - weight), count(*) FROM t x JOIN d AS y ON x.name = y.name "
       "WHERE x.id BETWEEN 10 AND 200 AND y.label IN ('one', 'two') GROUP BY label"),
      "SELECT t.month, count(*) FROM d JOIN t ON d.rank = t.qty GROUP BY t.month",
  };
  for (const char* sql : kQueries) {
    QueryResult a = run(sql, true);
    QueryResult b = run(sql, false);
    EXPECT_TRUE(a.columnar) << sql;
    EXPECT_FALSE(b.columnar) << sql;
    ASSERT_EQ(a.columns.size(), b.columns.size()) << sql;
    for (size_t i = 0; i < a.columns.size(); ++i) {
      EXPECT_EQ(a.columns[i].name, b.columns[i].name) << sql;
      EXPECT_EQ(a.columns[i].declared_type, b.columns[i].declared_type) << sql;
    }
    EXPECT_EQ(FormatResult(a, ResultFormat::kCsv), FormatResult(b, ResultFormat::kCsv)) << sql;
    EXPECT_EQ(a.rows, b.rows) << sql;
    EXPECT_EQ(run(sql, true, 3).rows, b.rows) << sql << " (3 threads)";
  }
  // Fan-out: n1 matches two rows of d, so its t rows count twice.
  QueryResult n1 =
      run("SELECT count(*) FROM t JOIN d ON t.name = d.name WHERE t.name = 'n1'", true);
  QueryResult t1 = run("SELECT count(*) FROM t WHERE name = 'n1'", true);
  ASSERT_EQ(n1.rows.size(), 1u);
  EXPECT_EQ(n1.rows[0][0], Value(std::get<int64_t>(t1.rows[0][0]) * 2));
  for (const char* sql :
       {"SELECT count(*) FROM t LEFT JOIN d ON t.name = d.name",
        "SELECT count(*) FROM t JOIN d ON t.name = d.label OR t.id = d.rank",
        "SELECT count(*) FROM t JOIN d ON t.amount = d.weight",
        "SELECT count(*) FROM t JOIN d ON t.name = d.name AND d.rank = 1",
        "SELECT count(*) FROM t a JOIN t b ON a.id = b.id", "SELECT count(*) FROM t, d",
        "SELECT count(*) FROM t JOIN d USING (name)"}) {
    EXPECT_FALSE(run(sql, true).columnar) << sql;
  }
}

TEST(QueryEngineOpen, RefusesDuplicateNames) {
  table::LakeTable a, b;
  a.name = "sales";
  b.name = "other";
  b.aliases = {"SALES"};
  auto fs = *io::FileSystemFromUri("mem://sql-engine-open");
  auto r = QueryEngine::Open(fs, {a, b});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("SALES"), std::string::npos);
}

TEST(QueryEngineOpen, CorruptFileIsAnErrorForThatTable) {
  auto fs = *io::FileSystemFromUri("mem://sql-engine-corrupt");
  ASSERT_TRUE(fs->WriteFile("main/bad/part-0.parquet", "PAR1 not really parquet PAR1").ok());
  table::LakeTable bad;
  bad.name = "bad";
  bad.location = "main/bad";
  bad.columns.push_back({"x", table::LakeType::kInt64});
  bad.files.push_back({"main/bad/part-0.parquet", {}, 1, 28, ""});
  auto engine = *QueryEngine::Open(fs, {bad});
  auto r = engine->Execute("SELECT x FROM bad");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("main/bad/part-0.parquet"), std::string::npos)
      << r.status().ToString();
  EXPECT_TRUE(engine->Execute("SELECT 1").ok());
}

}  // namespace
}  // namespace saleslake::sql
