// A table of the lake as the layers above the pipeline see it: a name, its columns, its Hive
// partition keys and the committed Parquet files that hold its rows. The catalog produces these
// from a crawl; the SQL engine consumes them (one virtual table each); neither depends on the
// other.
#ifndef SALESLAKE_TABLE_LAKE_TABLE_H_
#define SALESLAKE_TABLE_LAKE_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace saleslake::table {

// A column's type in the terms SQL and DDL need. Partition columns are kString or kInt32 as the
// catalog declares them (the lake writes year, month and day as zero-padded integers).
enum class LakeType {
  kBoolean,
  kInt32,
  kInt64,
  kFloat,
  kDouble,
  kDecimal,    // precision/scale in LakeColumn
  kString,     // UTF-8
  kBinary,     // bytes without a string annotation
  kDate,       // days since 1970-01-01
  kTimestamp,  // microseconds (or millis/nanos in the file) since the epoch, UTC
};

struct LakeColumn {
  std::string name;
  LakeType type = LakeType::kString;
  int32_t precision = 0;  // kDecimal
  int32_t scale = 0;      // kDecimal
  bool nullable = true;
};

struct LakeFile {
  std::string path;  // relative to the lake's root, e.g.
                     // main/sales/year=2026/month=05/day=01/part-….parquet
  std::vector<std::pair<std::string, std::string>>
      partition;  // key=value in key order, as in the path
  int64_t rows = 0;
  int64_t bytes = 0;
  // Non-empty: the ledger commits this file but it cannot be read (missing from storage, not
  // valid Parquet, cut short), and why. Such a file stays in the table so that every statement
  // that needs it fails naming it, instead of answering without its rows.
  std::string unreadable;
};

struct LakeTable {
  std::string name;                        // e.g. "sales" (main), "raw_sales", "quarantine_sales"
  std::string location;                    // folder relative to the lake's root, e.g. "main/sales"
  std::vector<std::string> aliases;        // other names that resolve to this table
  std::vector<LakeColumn> columns;         // data columns in file order (not the partition keys)
  std::vector<LakeColumn> partition_keys;  // in path order, e.g. year, month, day
  std::vector<LakeFile> files;             // committed files only
  int64_t schema_version = 1;
};

}  // namespace saleslake::table

#endif  // SALESLAKE_TABLE_LAKE_TABLE_H_
