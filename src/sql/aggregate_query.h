// The columnar aggregate path: the common shape of ad-hoc queries over one lake table,
//
//   SELECT key | AGG(expr) [[AS] name], ... FROM table
//     [WHERE column op literal AND ...] [GROUP BY ...] [ORDER BY ...] [LIMIT n [OFFSET m]]
//
// with AGG one of SUM, COUNT (also COUNT(*)), AVG, MIN, MAX; expr a column or +, -, * of numeric
// columns and numbers; keys columns or date(column); ops =, <, <=, >, >=, <>, BETWEEN, IN — is
// answered here, a row group at a time over the scanner's column vectors (dictionary indices for
// string keys, unscaled integers for decimals), instead of row by row through SQLite's virtual
// table interface and sorter. Everything else, and anything this parser does not recognise
// exactly, goes to SQLite. The results are the ones SQLite's path gives: the same values and
// types (exact decimal sums as the nearest double, integer sums as INTEGER, ...), the same
// column names, and rows in the same order (GROUP BY keys ascending when there is no ORDER BY).
// SQLITE_DISABLE-style switch: QueryOptions::columnar_aggregates.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/status.h"
#include "sql/lake_vtab.h"
#include "sql/query_engine.h"

namespace saleslake::sql {

// nullopt: not of the shape above (run it with SQLite). `stop` is polled between row groups
// (timeout, interrupt) and turns into the Status it returns when non-OK.
std::optional<Result<QueryResult>> TryColumnarAggregate(LakeTables& tables, const std::string& sql,
                                                        const QueryOptions& options,
                                                        const std::function<Status()>& stop);

}  // namespace saleslake::sql
