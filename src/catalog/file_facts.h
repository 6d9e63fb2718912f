// FileFacts: what the catalog keeps about one Parquet file, read from its footer alone (ranged
// reads of the file's tail through io::RandomAccessFile; no data page is read): rows, row groups,
// the columns with their lake types, and per-column null counts and min/max merged over the row
// groups' statistics.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "table/lake_table.h"

namespace saleslake::catalog {

// A statistics value: `display` for people (exact decimals, ISO 8601 timestamps), and a key that
// orders values of one column: an integer (integers, unscaled decimals, dates in days, timestamps
// in microseconds), a real (floats) or bytes (strings).
struct StatValue {
  enum class Kind { kInt, kReal, kText };
  Kind kind = Kind::kInt;
  int64_t i = 0;
  double d = 0;
  std::string s;
  std::string display;

  // Orders two values of the same kind.
  bool Less(const StatValue& other) const;
};

struct ColumnFacts {
  table::LakeColumn column;
  // Nulls over all row groups, or -1 when some row group did not say.
  int64_t null_count = -1;
  // Over all row groups; absent when unknown (a row group without statistics, a type without an
  // order the catalog keeps, a string longer than kMaxStatBytes) or when every value is null.
  std::optional<StatValue> min;
  std::optional<StatValue> max;
};

// Longer string statistics are not kept (a truncated max is not an upper bound).
inline constexpr size_t kMaxStatBytes = 256;

struct FileFacts {
  int64_t rows = 0;
  int64_t row_groups = 0;
  // Flat columns in file order. Nested columns are not part of a lake table: they are counted in
  // `skipped_nested` and left out.
  std::vector<ColumnFacts> columns;
  int skipped_nested = 0;
};

// Reads the footer of `path`. A file that is not valid Parquet gives the reader's error (naming
// the file); nothing is read beyond the footer.
Result<FileFacts> ReadFileFacts(io::FileSystem& fs, const std::string& path);

}  // namespace saleslake::catalog
