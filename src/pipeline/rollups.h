// Rollups kept by transform: main/daily_sales (day x store x product) and the six aggregate
// tables of the seed project, computed from daily_sales (which is small) over all of main.
//
// Money is DECIMAL(18,2) throughout; gross_profit = (mrp - retail_price) x quantity and
// cost = retail_price x quantity, so sales - cost = gross_profit for every clean sale.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/layout.h"
#include "lake/ledger.h"
#include "parquet/writer/column_spec.h"
#include "pipeline/transform_rows.h"
#include "table/column_batch.h"
#include "table/group_by.h"

namespace saleslake::pipeline {

using lake::kDailySalesTable;

// One row of main/daily_sales.
struct DailyRow {
  int32_t date = 0;  // days since 1970-01-01 (business day)
  std::string store_id, store_name, store_location;
  std::string product_id, product_name, category, brand;
  int64_t orders = 0;
  int64_t units = 0;
  int64_t sales = 0;         // paise
  int64_t cost = 0;          // paise
  int64_t gross_profit = 0;  // paise
};

std::vector<parquet::ColumnSpec> DailySalesColumns();

// The daily rows of one day partition, one per (store, product) as the sales name them: keyed by
// store_id, product_id and their names (store_name, store_location, product_name, category,
// brand). Sales whose names disagree with their id (clean when no reference catalog judges them)
// keep their own rows, so every aggregate equals GROUP BY over main/sales exactly.
// The grouping is table::GroupByKernel's: added rows wait in a small column buffer and go through
// the kernel a few thousand at a time.
class DailyRollup {
 public:
  DailyRollup();
  void AddSale(int32_t date, const SaleRow& sale);
  // The sales of `rows` of a batch of main/sales' columns (MainSalesColumns(): the names, the
  // DECIMAL(18,2) prices as scaled int64, quantity), all of day `date`.
  // `row_keys`, when given, names each batch row's seven keys by one integer (equal integers, equal
  // keys: a store and product's catalog indices), so rows are pre-summed without comparing text.
  void AddBatch(int32_t date, const table::ColumnBatch& batch, const table::SelectionVector& rows,
                const uint64_t* row_keys = nullptr);
  void AddDaily(const DailyRow& row);
  bool empty() const { return pending_ == 0 && kernel_.num_groups() == 0; }
  // Sorted by (store_id, product_id, then the names). Groups the rows still buffered first, so
  // it is const but not safe to call from two threads at once.
  std::vector<DailyRow> Rows() const;

 private:
  static constexpr size_t kKeys = 7;  // store_id, product_id, then the five names
  void Add(int32_t date, const std::string_view (&keys)[kKeys], int64_t orders, int64_t units,
           int64_t sales, int64_t cost, int64_t gross_profit);
  void Flush() const;

  // Rows added since the last Flush, column by column (their strings' memory reused).
  mutable std::array<std::vector<std::string>, kKeys> keys_;
  mutable std::array<std::vector<int64_t>, 5> totals_;  // orders, units, sales, cost, profit
  mutable std::vector<int32_t> dates_;
  mutable size_t pending_ = 0;
  mutable table::GroupByKernel kernel_;
  mutable std::vector<int32_t> group_dates_;  // the date of each group's first row
};
Status ReadDailyRows(io::FileSystem& fs, const std::string& path, std::vector<DailyRow>* rows);
// Writes rows under PendingPath(path) and describes the file for the ledger.
Status WriteDailyRows(io::FileSystem& fs, const std::string& path, const std::string& partition,
                      const std::vector<DailyRow>& rows, lake::LedgerFile* file);

// The seed's six tables, accumulated from daily rows: its names, grain and columns in its order
// (money DECIMAL(18,2), averages rounded half away from zero), then columns of ours
// (docs/pipeline.md).
class AggregateTables {
 public:
  AggregateTables();
  void Add(const DailyRow& row);
  // Writes main/<table>/part-<key>.parquet for each table (pending), appends them to
  // commit->added, and removes the tables' previous files (from `state`). Groups the rows still
  // buffered first (const, but not safe to call from two threads at once).
  Status Write(io::FileSystem& fs, const lake::LedgerState& state, const std::string& key,
               lake::LedgerCommit* commit) const;

  static const std::vector<std::string>& TableNames();

 private:
  // Grains of the seed's tables, each a table::GroupByKernel over the daily rows with the sums
  // sales, cost, orders, units: brand; category; (store_name, store_location);
  // (product_name, brand, store_name, store_location).
  enum Grain { kBrand, kCategory, kStore, kProduct, kGrains };
  void Flush() const;

  mutable std::vector<DailyRow> pending_;
  mutable std::vector<table::GroupByKernel> grains_;
};
// "part-<first 32 hex of SHA-256(key)>.parquet".
std::string PartFileName(std::string_view key);

}  // namespace saleslake::pipeline
