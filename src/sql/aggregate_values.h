// Values of the columnar aggregate path (aggregate_query.h): exact numbers with a scale, SQLite's
// order of values, literal comparisons, and the bytes of a join key. Internal to src/sql.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sql/query_engine.h"
#include "sql/scan_plan.h"

namespace saleslake::sql {

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

// An exact number: unscaled / 10^scale.
struct Num {
  __int128 v = 0;
  int scale = 0;
  bool null = false;
};

__int128 Pow10(int n);
int CompareNum(const Num& a, const Num& b);
// Whether SQLite's comparison `op` (SQLITE_INDEX_CONSTRAINT_*) holds for a comparison result.
bool OpHolds(int op, int cmp);
// A numeric literal as an exact number (a REAL that stands for a short decimal).
std::optional<Num> LiteralNum(const SqlLiteral& v);
// SQLite's order of values: NULL, numbers (by value), text (bytes), blobs.
int CompareValues(const Value& a, const Value& b);
// The double nearest unscaled / 10^scale (what SQLite's path shows for a DECIMAL).
double ExactToDouble(__int128 v, int scale);
// The bytes of a join key part: equal SQL values (of one key class) give equal bytes.
void AppendKey(const Value& v, std::string* out);

}  // namespace saleslake::sql
