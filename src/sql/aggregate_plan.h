// The parsed and bound form of a columnar aggregate query (aggregate_query.h): internal to
// src/sql.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/lake_vtab.h"
#include "sql/scan_plan.h"

namespace saleslake::sql {

enum class AggKind { kSum, kCount, kCountStar, kAvg, kMin, kMax };

struct AggExpr {
  enum class Kind { kColumn, kNumber, kAdd, kSub, kMul, kDateOf, kAggregate };
  Kind kind = Kind::kColumn;
  int side = 0;        // kColumn: 0 the scanned table, 1 the joined (in-memory) table
  int column = -1;     // kColumn: vtab column index (data columns, then partition keys)
  __int128 value = 0;  // kNumber: unscaled
  int scale = 0;       // kNumber: its scale; after binding, the scale of any numeric result
  AggKind agg = AggKind::kSum;
  std::unique_ptr<AggExpr> lhs, rhs;  // operands; kAggregate and kDateOf use lhs only
  bool decimal = false;               // numeric result has a decimal input (SUM gives REAL)
  int round_scale = -1;               // kAggregate AVG: round half away to this scale (avg(x, s))
};

struct AggItem {
  std::unique_ptr<AggExpr> expr;
  std::string name;   // the result column's name
  std::string alias;  // "" when none
  std::string text;   // the expression as written, lower-cased without spaces (for matching)
  std::string declared_type;
};

struct AggOrder {
  int item = 0;
  bool desc = false;
};

// An inner join with a small table: its rows are loaded into memory once, keyed by the join
// columns, and each row of the scanned table is matched by its key (every match counts).
struct AggJoin {
  size_t table = 0;                     // the small table, side 1 (index into states())
  std::vector<std::pair<int, int>> on;  // ON a = b [AND ...]: (side 0 column, side 1 column)
  std::vector<PlanConstraint> where;    // WHERE terms on side 1, checked as its rows load
};

// At most this many rows in the joined table (the one held in memory).
constexpr int64_t kJoinBuildRows = 1 << 20;

struct AggPlan {
  size_t table = 0;  // index into LakeTables::states(): side 0, the scanned table
  std::vector<AggItem> items;
  std::vector<PlanConstraint> where;  // exact: every row is checked against all of them
  std::vector<int> keys;              // items that are GROUP BY keys, in GROUP BY order
  std::vector<AggOrder> order;
  int64_t limit = -1;
  int64_t offset = 0;
  std::optional<AggJoin> join;
};

// The plan, or nullopt when `sql` is not of the recognised shape or names something unknown
// (SQLite then reports the error with its position), or, with `mask_personal`, names a personal
// column (the masking virtual table answers those).
std::optional<AggPlan> ParseAggregateQuery(LakeTables& tables, const std::string& sql,
                                           bool mask_personal = false);

}  // namespace saleslake::sql
