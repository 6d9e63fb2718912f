// The SQL dialects of the query engine, as a rewrite of one statement into SQLite's SQL (the
// engine then prepares the result; sql/dialect/trino_functions.h adds the functions the rewrite
// calls). docs/sql.md lists what each dialect accepts, what differs from Athena and what is
// refused.
//
//   kSqlite         the statement as written (SQLite's dialect, as before the Athena dialect).
//   kTrino          Athena/Trino: DATE/TIMESTAMP literals, CAST/TRY_CAST with Trino's semantics,
//                   ts ± INTERVAL 'n' unit, EXTRACT, Trino's functions, `/` and `%` that fail on
//                   zero, DECIMAL typing of results, SHOW/DESCRIBE. SQLite syntax without a Trino
//                   meaning passes through unchanged.
//   kTrinoPostgres  kTrino plus the PostgreSQL forms that drivers send: `x::type` casts, and
//                   BEGIN/COMMIT/ROLLBACK/SET/… answered as no-ops.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "table/lake_table.h"

namespace saleslake::sql {

enum class Dialect { kSqlite, kTrino, kTrinoPostgres };

// "sqlite", "athena" (also "trino"), "postgres".
Result<Dialect> ParseDialect(std::string_view name);

struct Translation {
  enum class Kind {
    kQuery,  // run `sql`
    kNoOp,   // nothing to run (a transaction or session statement): answer with no rows
  };
  Kind kind = Kind::kQuery;
  std::string sql;          // kQuery: the statement in SQLite's dialect
  std::string command_tag;  // kNoOp: what it was, upper case ("BEGIN", "SET", "COMMIT", ...)
  // Per result column of the statement's SELECT list, in order: the scale of a DECIMAL result
  // (SUM(total) * 1 is DECIMAL with scale 2), -1 when not a DECIMAL or not known. Empty when the
  // list could not be read (SELECT *, VALUES, ...): declared types still say it for columns.
  std::vector<int> decimal_scales;
  bool changed = false;  // sql differs from the statement given
};

// The statement rewritten for SQLite. `tables` give the column types (the DECIMAL columns and
// their scales) and what SHOW/DESCRIBE answer. Fails (InvalidArgument, naming the construct) on
// what the dialect refuses rather than answer differently from Athena.
Result<Translation> TranslateStatement(std::string_view sql, Dialect dialect,
                                       const std::vector<table::LakeTable>& tables);

}  // namespace saleslake::sql
