// The constraints a lake virtual table receives in xFilter, and what they prune: files by their
// partition values (or by the day the partitions derive from), and row groups and pages by the
// scanner's predicates. Every conversion here is conservative: a value that cannot be turned
// into an exact or looser bound is left to SQLite, which checks every row anyway.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "parquet/reader/predicate.h"
#include "parquet/reader/schema.h"
#include "sql/lake_vtab.h"

struct sqlite3_value;

namespace saleslake::sql {

// A constraint value copied out of SQLite: NULL, INTEGER, REAL or TEXT.
using SqlLiteral = std::variant<std::monostate, int64_t, double, std::string>;
SqlLiteral CopySqlValue(sqlite3_value* v);

struct PlanConstraint {
  int column = 0;  // vtab column index
  int op = 0;      // SQLITE_INDEX_CONSTRAINT_EQ/GT/LE/LT/GE (EQ with several values for IN)
  std::vector<SqlLiteral> values;
};

// The day range [first, last] (days since 1970-01-01) that constraints on `table`'s source
// column allow for its rows' UTC dates; nullopt ends mean unbounded.
struct DayRange {
  std::optional<int64_t> first, last;
};
DayRange SourceDayRange(const LakeTableState& table, const std::vector<PlanConstraint>& cs);

// False when the file's partition values (or its day, against `days`) rule it out.
bool FileMayMatch(const LakeTableState& table, const LakeFileState& file,
                  const std::vector<PlanConstraint>& constraints, const DayRange& days);

// The scanner predicates the constraints on data column `descriptor` (vtab column `column`)
// translate to for one file.
void AddPredicates(const parquet::ColumnDescriptor& descriptor, int column,
                   const std::vector<PlanConstraint>& constraints,
                   std::vector<parquet::ColumnPredicate>* out);

// The days since 1970-01-01 of a text starting with "YYYY-MM-DD".
std::optional<int64_t> LeadingDate(const std::string& text);

}  // namespace saleslake::sql
