// SQL from the dashboard's console and /api/v1/query is untrusted: any bytes given to
// QueryEngine::Execute must give a result or an error, never a crash, and never a write. The
// engine runs over a small in-memory lake (two partitions, decimals, timestamps, nulls) with a
// short timeout and small caps, so every input is quick; each input runs in the three dialects.
// The columnar aggregate path and the virtual tables both see the inputs that parse.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "parquet/column_buffer.h"
#include "parquet/writer/file_writer.h"
#include "sql/lake_discovery.h"
#include "sql/query_engine.h"

namespace {

using saleslake::parquet::ColumnBuffer;
using saleslake::parquet::ColumnSpec;
using saleslake::parquet::Type;

saleslake::sql::QueryEngine* Engine() {
  static saleslake::sql::QueryEngine* engine = [] {
    auto fs = *saleslake::io::FileSystemFromUri("mem://fuzz-sql");
    for (int day = 1; day <= 2; ++day) {
      std::vector<ColumnSpec> cols = {
          ColumnSpec::String("brand"), ColumnSpec::Decimal("total", 18, 2).Required(),
          ColumnSpec::Timestamp("timestamp", saleslake::parquet::TimeUnit::kMicros).Required(),
          ColumnSpec::Int32("quantity")};
      saleslake::parquet::WriterOptions options;
      options.row_group_rows = 8;
      auto file = *fs->OpenForWrite("main/sales/year=2026/month=05/day=0" + std::to_string(day) +
                                    "/part-0.parquet");
      auto writer = *saleslake::parquet::ParquetFileWriter::Open(std::move(file), cols, options);
      std::vector<ColumnBuffer> b = {ColumnBuffer(Type::kByteArray), ColumnBuffer(Type::kInt64),
                                     ColumnBuffer(Type::kInt64), ColumnBuffer(Type::kInt32)};
      for (int i = 0; i < 20; ++i) {
        if (i % 5 == 0) {
          b[0].AppendNull();
        } else {
          b[0].AppendBytes(i % 2 ? "Apple" : "Sony");
        }
        b[1].AppendInt64(i * 1999 + day);
        b[2].AppendInt64((int64_t{20574} + day) * 86400000000 + i * 1000000);
        if (i % 7 == 0) {
          b[3].AppendNull();
        } else {
          b[3].AppendInt32(i % 3 + 1);
        }
      }
      if (!writer->Write(b).ok() || !writer->Close().ok()) __builtin_trap();
    }
    auto tables = *saleslake::sql::DiscoverLakeTables(*fs);
    return saleslake::sql::QueryEngine::Open(fs, tables)->release();
  }();
  return engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string sql(reinterpret_cast<const char*>(data), size);
  saleslake::sql::QueryOptions options;
  options.max_rows = 50;
  options.timeout_seconds = 0.2;
  options.max_result_bytes = 1 << 20;
  // Every statement in each dialect: SQLite's, Athena's (the rewrite) and Athena's with the
  // PostgreSQL forms (what `serve --pg-listen` runs).
  for (saleslake::sql::Dialect dialect :
       {saleslake::sql::Dialect::kSqlite, saleslake::sql::Dialect::kTrino,
        saleslake::sql::Dialect::kTrinoPostgres}) {
    options.dialect = dialect;
    saleslake::sql::QueryError where;
    auto r = Engine()->Execute(sql, options, &where);
    if (!r.ok() && where.offset > static_cast<int>(size)) __builtin_trap();
  }
  options.dialect = saleslake::sql::Dialect::kSqlite;
  // The lake is read-only: the table is still there, whole.
  auto check = Engine()->Execute("SELECT count(*) FROM sales", options);
  if (!check.ok() || check->rows.size() != 1 ||
      check->rows[0][0] != saleslake::sql::Value(int64_t{40})) {
    __builtin_trap();
  }
  return 0;
}
