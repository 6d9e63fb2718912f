// One worker of the columnar aggregate path (aggregate_query.h): reads files of the scanned table
// a row group at a time and groups their rows through a table::GroupByKernel, or, when loading
// the small side of a join, collects them into a JoinTable. Each thread of a query has its own
// AggregateScan; aggregate_query.cc merges their kernels. Internal to src/sql.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "parquet/reader/scanner.h"
#include "sql/aggregate_plan.h"
#include "sql/aggregate_values.h"
#include "sql/lake_vtab.h"
#include "table/group_by.h"

namespace saleslake::sql {

// The joined table (side 1) in memory: the values of the columns the query uses, and its rows
// by join key.
struct JoinTable {
  int64_t rows = 0;
  std::vector<int> slot;                   // side-1 column -> loaded column, -1 when not loaded
  std::vector<std::vector<Value>> values;  // per loaded column, per row: the SQL value
  std::vector<std::vector<Num>> nums;      // the same as a number: unscaled decimals, integers,
                                           // timestamps in micros, dates in days
  std::unordered_map<std::string, int32_t> list_of;  // key bytes -> its list of rows
  std::vector<uint32_t> list_begin;  // list i: list_rows[list_begin[i] .. list_begin[i + 1])
  std::vector<uint32_t> list_rows;
};

// What every worker of one plan shares, read-only during the scan.
struct AggContext {
  AggContext(LakeTables& t, const AggPlan& p);

  LakeTables& tables;
  LakeTableState& st;
  const AggPlan& plan;
  const int ncols;             // data columns of the scanned table (partition keys follow)
  std::vector<int> used;       // side-0 data columns read
  std::vector<int> agg_items;  // items that aggregate, in item order
  std::vector<table::KeyKind> key_kinds;  // per GROUP BY key
  std::vector<table::AggSpec> specs;      // per aggregate item
  bool filtered = false;                  // WHERE terms on data columns (checked per row)
  // Rows go through the row-wise path (join, collecting, MIN/MAX of a partition key) instead
  // of reading the batch's vectors directly.
  bool row_wise = false;
  const JoinTable* join = nullptr;  // the plan's joined table, loaded
  JoinTable* collect = nullptr;     // loading a joined table: the plan's items are its columns

  const table::LakeColumn& Column(int c) const;
  const table::LakeColumn& ColumnOf(const AggExpr& e) const;
  // The columns of side `side` an expression reads (side 0: data columns only).
  void Collect(const AggExpr& e, std::vector<int>* used_columns, int side = 0) const;
  // Fills specs, key_kinds, agg_items, filtered and row_wise (after join/collect are set).
  void Prepare();
};

class AggregateScan {
 public:
  explicit AggregateScan(const AggContext& ctx);

  // Reads `file` into the kernel (or the collected table). `stop` is polled between row groups.
  // REQUIRES: the file's reader is open (LakeTables::Reader was called for it).
  Status ScanFile(LakeFileState* file, const std::function<Status()>& stop);

  // Something this path does not answer was met (more groups than it keeps, an expression
  // past 64 bits, a joined table past kJoinBuildRows): the caller hands the query to SQLite.
  bool unsupported() const { return unsupported_; }
  table::GroupByKernel& kernel() { return kernel_; }
  ScanCounters& counters() { return counters_; }

 private:
  void Batch();
  void BatchColumnar(std::span<const uint32_t> rows);
  void BatchRowWise(std::span<const uint32_t> rows);
  void StartProbe();
  int32_t ProbeList(int64_t row);
  bool Passes(int64_t row) const;
  bool IsNull(int column, int64_t row) const;
  bool NullAt(const AggExpr& e, int64_t row) const;
  const Value& JoinValue(const AggExpr& e) const;
  const Num& JoinNum(const AggExpr& e) const;
  Num RawNum(int column, int64_t row) const;
  Num Eval(const AggExpr& e, int64_t row) const;
  Value KeyValue(const AggExpr& e, int64_t row) const;
  // A key's value at `row` (and cur_), by its kind; false for NULL.
  bool KeyInt(const AggExpr& e, int64_t row, int64_t* out);
  bool KeyText(const AggExpr& e, int64_t row, std::string_view* out) const;
  // Evaluates a numeric expression over every row of the batch; false when a value passes 64 bits.
  bool EvalColumn(const AggExpr& e, std::vector<int64_t>* values, std::vector<uint8_t>* valid,
                  int* scale);
  const parquet::ColumnVector* Vector(int column) const;

  const AggContext& ctx_;
  const AggPlan& plan_;
  const int ncols_;
  table::GroupByKernel kernel_;
  ScanCounters counters_;
  bool unsupported_ = false;

  // Per file / row group.
  LakeFileState* file_ = nullptr;
  parquet::ScanBatch batch_;
  std::vector<int> slot_;  // vtab data column -> batch column, -1 when absent
  std::vector<const parquet::ColumnDescriptor*> desc_;
  uint32_t cur_ = 0;  // the joined row being looked at
  // Probing by dictionary entries (StartProbe): the batch columns of the ON keys, per column the
  // key bytes of each entry, and per combination of entries its list (-1 none, -2 not yet known).
  std::vector<int> probe_slots_;
  std::vector<std::vector<std::string>> probe_parts_;
  std::vector<int32_t> probe_dict_;
  std::string probe_key_;

  // Scratch, kept between batches.
  std::vector<uint32_t> selected_, pair_rows_, pair_curs_, groups_;
  struct Scratch {
    std::vector<int64_t> ints;
    std::vector<uint8_t> valid;
    std::vector<std::string_view> texts;
    std::vector<uint32_t> indices;
    // A string key of the joined table: its value (and whether it has one) per joined row.
    std::vector<std::string_view> join_texts;
    std::vector<uint8_t> join_valid;
  };
  std::vector<std::string_view>& JoinTexts(const AggExpr& e, Scratch* s);
  std::vector<Scratch> key_scratch_, agg_scratch_;
  std::vector<table::KeyColumn> keys_;
};

}  // namespace saleslake::sql
