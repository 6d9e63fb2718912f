// QueryEngine: read-only SQL (SQLite's dialect) over the lake's tables. Each table::LakeTable is
// a SQLite virtual table over its committed Parquet files, read through the Parquet reader with
// projection, partition pruning and statistics pruning (docs/sql.md has the details).
//
//   SL_ASSIGN_OR_RETURN(auto engine, sql::QueryEngine::Open(fs, tables));
//   sql::QueryOptions options;
//   options.max_rows = 1000;
//   options.timeout_seconds = 10;
//   SL_ASSIGN_OR_RETURN(sql::QueryResult result,
//                       engine->Execute("SELECT brand, SUM(total) FROM sales GROUP BY brand "
//                                       "ORDER BY 2 DESC", options));
//   std::string json = sql::QueryResultToJson(result);  // what /api/v1/query returns
//
// Types as SQL sees them:
//   STRING -> TEXT; BINARY -> BLOB; BOOLEAN -> INTEGER 0/1; INT32/INT64 -> INTEGER;
//   FLOAT/DOUBLE -> REAL; DECIMAL(p,s) -> REAL (QueryColumn::scale says its digits), summed exactly
//   (sum/avg/total are replaced by exact aggregates, see docs/sql.md); TIMESTAMP -> TEXT
//   'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC), which SQLite's date functions and text comparisons
//   understand; DATE -> TEXT 'YYYY-MM-DD'; partition keys year/month/day -> INTEGER (or TEXT when
//   the table declares them so).
// Extra functions: date_trunc(unit, ts), year(ts), month(ts), day(ts), hour(ts), decimal_sum(x).
//
// Threads: one QueryEngine holds one SQLite connection; Execute calls on one engine are
// serialised (a mutex). Make one engine per concurrent user (Open is cheap: no file is read until
// a query needs it), or share one and accept the queueing. Interrupt() may be called from any
// thread and stops the running query with a Timeout-like "interrupted" error.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "sql/dialect/dialect.h"
#include "table/lake_table.h"

struct sqlite3;

namespace saleslake::sql {

struct QueryOptions {
  // Rows kept in QueryResult::rows; further rows are not read (truncated = true). 0: no cap.
  int64_t max_rows = 10000;
  // Wall-clock budget of one Execute; past it the query is interrupted (StatusCode::kTimeout).
  // 0 or less: no limit.
  double timeout_seconds = 30;
  // Bytes of all cells kept (text and blobs counted by length, other cells as 8): a second cap so
  // that a few huge rows cannot exhaust memory. Past it the result is truncated too.
  int64_t max_result_bytes = int64_t{256} << 20;
  // Answer single-table aggregate queries of the common shape on the columnar path
  // (aggregate_query.h) instead of row by row through SQLite; same results either way.
  bool columnar_aggregates = true;
  // Threads the columnar aggregate path scans with (files split among them, partial groups
  // merged; the same results for every count). `saleslake query --threads` sets it.
  int threads = 1;
  // Mask personal columns (customer_name, customer_email, _raw; sql/personal_data.h) in results,
  // and push no constraint on them into the scan, so that a filter compares with the masked
  // value: for roles below analyst. The lake's owner on the command line reads them as stored.
  bool mask_personal_data = false;
  // How the statement is read (sql/dialect/dialect.h): kTrino, the Athena dialect (what `saleslake
  // query` uses), SQLite syntax passing through; kTrinoPostgres adds the PostgreSQL forms drivers
  // send; kSqlite (the default here, as before the dialect existed) runs it as written.
  Dialect dialect = Dialect::kSqlite;
};

// A cell: SQLite's storage classes. Blob keeps bytes apart from text (JSON shows it as hex).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};
using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;

struct QueryColumn {
  std::string name;           // as SQLite names it (the alias, or the expression's text)
  std::string declared_type;  // for a column taken straight from a lake table: "VARCHAR",
                              // "DECIMAL(18,2)", "TIMESTAMP", "INTEGER", ...; "" for expressions
                              // (a DECIMAL expression in the Trino dialect: "DECIMAL(38,s)")
  // DECIMAL columns: REAL cells stand for decimals with this many fraction digits and print with
  // exactly that many (12.50, 43914054.11); -1 for other columns.
  int scale = -1;
};

// What the virtual tables read for one query: the proof that pruning happened.
struct ScanCounters {
  int64_t files_total = 0;        // files of the tables scanned (each scan counted)
  int64_t files_pruned = 0;       // skipped by partition constraints (never opened)
  int64_t files_opened = 0;       // footers read
  int64_t row_groups_total = 0;   // row groups of opened files
  int64_t row_groups_read = 0;    // row groups read (not ruled out by statistics)
  int64_t row_groups_pruned = 0;  // ruled out by statistics / bloom filters / page index
  int64_t rows_read = 0;          // rows handed to SQLite
};

struct QueryResult {
  std::vector<QueryColumn> columns;
  std::vector<std::vector<Value>> rows;  // each row has columns.size() cells
  bool truncated = false;                // more rows existed than max_rows / max_result_bytes
  double elapsed_seconds = 0;
  ScanCounters scan;
  bool columnar = false;  // answered on the columnar aggregate path (QueryOptions)
};

// Errors from Execute:
//   InvalidArgument  bad SQL, unknown table/column, wrong function use. The message ends with
//                    " (at line L, column C)" when SQLite knows where, and QueryError says it too.
//   PermissionDenied a write, ATTACH, or state-changing pragma (the engine is read-only).
//   Timeout          the timeout passed, or Interrupt() was called.
//   others           a Parquet file could not be read (IOError, Corruption, ...), naming it.
struct QueryError {
  int offset = -1;  // byte offset in the SQL where the error is, -1 when unknown
  int line = 0;     // 1-based, 0 when unknown
  int column = 0;   // 1-based (bytes), 0 when unknown
};

class QueryEngine {
 public:
  // Registers each table (and its aliases) as a virtual table of a fresh in-memory SQLite
  // connection. Fails when two tables or aliases share a name (case-insensitively).
  // `setup`, when given, runs on the SQLite connection before it is locked down (read-only
  // authorizer, no ATTACH): the PostgreSQL front attaches its catalog schemas and adds functions
  // there (sql/pgwire/pg_catalog.h). It may ATTACH up to 4 databases.
  using Setup = std::function<Status(sqlite3* db)>;
  static Result<std::unique_ptr<QueryEngine>> Open(std::shared_ptr<io::FileSystem> fs,
                                                   std::vector<table::LakeTable> tables,
                                                   const Setup& setup = nullptr);
  ~QueryEngine();

  // Runs one statement (a trailing ';' and whitespace are fine; a second statement is an error).
  // `error`, when given, receives the position of a failure.
  Result<QueryResult> Execute(const std::string& sql, const QueryOptions& options = {},
                              QueryError* error = nullptr);

  // Stops the query running now (if any). Thread-safe.
  void Interrupt();

  // The tables as registered (names, aliases, columns), for a console's schema browser.
  const std::vector<table::LakeTable>& tables() const;

  struct Impl;

 private:
  explicit QueryEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The SQL type a lake column shows as ("VARCHAR", "BIGINT", "DECIMAL(18,2)", "TIMESTAMP", ...).
std::string DeclaredType(const table::LakeColumn& column);

// {"columns":[{"name":..,"type":..}],"rows":[[..],..],"truncated":..,"elapsed_ms":..,
//  "scan":{...}}. Integers as JSON numbers, REAL in the shortest form that reads back the same
// double (so an exact decimal sum shows its paise), text as strings, blobs as hex strings, NULL as
// null.
std::string QueryResultToJson(const QueryResult& result);

// One cell as text for tables and CSV: NULL as "", REAL in shortest round-trip form.
std::string CellText(const Value& value);
// The same for a cell of `column`: a REAL of a DECIMAL column with exactly its scale's digits.
std::string CellText(const Value& value, const QueryColumn& column);

}  // namespace saleslake::sql
