// The `lake` SQLite module: one virtual table per table::LakeTable, reading its committed Parquet
// files through parquet::ParquetScanner. Internal to the query engine (query_engine.h is the
// public surface); docs/sql.md describes what it pushes down.
//
// Columns: the table's data columns in file order, then its partition keys (year, month, day).
//
// xBestIndex — idxNum is a bitmask of what the plan uses:
//   1  constraints on partition keys: files whose partition values fail them are never opened
//   2  constraints on the column the partitions derive from (main: timestamp; raw and
//      quarantine: _ingested_at; daily_sales: date): files more than a day outside the range are
//      never opened (a business day lies within a day of the UTC date)
//   4  =, <, <=, >, >=, IN (and BETWEEN, which SQLite splits into >= and <=) on data columns:
//      handed to the scanner, which skips row groups and pages by statistics and bloom filters
//   8  LIMIT (without ORDER BY or other constraints): reading stops after that many rows
//   16 an IN list is read whole in one xFilter (sqlite3_vtab_in)
//   32 hash lookup: an = constraint on a data column of a small table (at most kHashJoinRows
//      rows) is answered from an in-memory hash index of the table's used columns, built on the
//      first xFilter of a statement and kept until the statement ends (LakeTableState::hashes);
//      idxStr then holds "H:<column>," first. This is what makes a join with a small table the
//      inner loop of a hash join instead of a rescan per outer row.
// idxStr starts with "U:<colUsed>," (the columns read: projection), then lists the constraints
// handed to xFilter in argv order as "column:op," items (op is SQLite's SQLITE_INDEX_CONSTRAINT_*
// code; 'i' after it marks an IN list; "L:73," is the LIMIT).
// No constraint is omitted: pruning never drops a matching row but may keep others, and SQLite
// still checks every row it gets. estimatedRows divides the table's row count by what each
// constraint can rule out (the distinct values of a partition key for =, 3 for a range);
// estimatedCost is rows times the columns read.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "parquet/reader/file_reader.h"
#include "sql/personal_data.h"
#include "sql/query_engine.h"
#include "table/lake_table.h"

struct sqlite3;

namespace saleslake::sql {

struct LakeFileState {
  const table::LakeFile* file = nullptr;
  std::vector<std::optional<int64_t>> key_ints;        // partition values that are integers
  std::optional<int64_t> day;                          // from year/month/day, days since 1970-01-01
  std::unique_ptr<parquet::ParquetFileReader> reader;  // opened on first use, then kept
};

// A small table's rows held in memory for lookups by one column (xBestIndex bit 32).
struct LakeHashIndex {
  struct Cell {
    int type = 5;  // SQLITE_NULL
    int64_t i = 0;
    double d = 0;
    std::string s;  // text or blob bytes
  };
  int width = 0;            // cells per row: the used columns only
  std::vector<int> slot;    // per vtab column: its cell in a row, -1 when not kept (NULL)
  std::vector<Cell> cells;  // row-major
  std::unordered_map<std::string, std::vector<uint32_t>> rows_by_key;  // key bytes -> rows
  std::vector<uint32_t> all;  // every row (a key of another type than the column's)
};

// At most this many rows: a table is small enough to hash for a join.
constexpr int64_t kHashJoinRows = 100000;

struct LakeTableState {
  table::LakeTable table;
  std::vector<LakeFileState> files;
  int source_column = -1;              // the data column partitions derive from, -1 when none
  std::vector<PersonalKind> personal;  // per data column
  std::vector<int64_t> key_distinct;   // distinct values per partition key (for estimates)
  int64_t total_rows = 0;
  // Hash indexes of this statement, by "column:colUsed" (cleared by BeginStatement).
  std::map<std::string, std::shared_ptr<LakeHashIndex>> hashes;
};

// What the virtual tables of one engine share. Not thread-safe: one engine, one query at a time.
class LakeTables {
 public:
  LakeTables(std::shared_ptr<io::FileSystem> fs, std::vector<table::LakeTable> tables);

  io::FileSystem& fs() { return *fs_; }
  std::vector<LakeTableState>& states() { return states_; }
  const std::vector<table::LakeTable>& tables() const { return tables_; }
  ScanCounters& counters() { return counters_; }
  // A new statement: the hash indexes of the last one are dropped (the files may have changed
  // between statements of a long-lived engine only through a new engine, but memory is freed).
  void BeginStatement() {
    for (auto& s : states_) s.hashes.clear();
  }
  // The first error a virtual table met in this query (its code is kept; SQLite only sees text).
  Status& error() { return error_; }
  // Whether this query masks personal columns (QueryOptions::mask_personal_data).
  bool& mask_personal_data() { return mask_personal_data_; }

  // The reader of `file`, opening it on first use.
  Result<parquet::ParquetFileReader*> Reader(LakeTableState* table, LakeFileState* file);

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::vector<table::LakeTable> tables_;
  std::vector<LakeTableState> states_;
  ScanCounters counters_;
  Status error_;
  bool mask_personal_data_ = false;
};

// Registers the module "lake" on `db`; tables are then created with
// CREATE VIRTUAL TABLE "name" USING lake(<index into tables->states()>).
int RegisterLakeModule(sqlite3* db, LakeTables* tables);

}  // namespace saleslake::sql
