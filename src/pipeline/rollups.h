// Rollups kept by transform: main/daily_sales (day x store x product) and the six aggregate
// tables of the seed project, computed from daily_sales (which is small) over all of main.
//
// Money is DECIMAL(18,2) throughout; gross_profit = (mrp - retail_price) x quantity and
// cost = retail_price x quantity, so sales - cost = gross_profit for every clean sale.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/layout.h"
#include "lake/ledger.h"
#include "parquet/writer/column_spec.h"
#include "pipeline/transform_rows.h"
#include "table/column_batch.h"
#include "table/group_by.h"
#include "table/reference_catalog.h"

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
  // The sales of `rows` of a batch of main/sales' columns (MainSalesColumns(): the names, plain
  // or in dictionary form, the DECIMAL(18,2) prices as scaled int64, quantity), all of day `date`.
  void AddBatch(int32_t date, const table::ColumnBatch& batch, const table::SelectionVector& rows);
  // The same for sales whose store and product are entries of `catalog`: batch row r's are
  // stores()[catalog_keys[r] >> 32] and products()[catalog_keys[r] & 0xffffffff] (the key
  // SaleColumns::catalog_key gives). Summed by those indices, never by their names; every coded
  // batch of one rollup names the same catalog.
  void AddCodedBatch(int32_t date, const table::ColumnBatch& batch,
                     const table::SelectionVector& rows, const table::ReferenceCatalog& catalog,
                     const uint64_t* catalog_keys);
  void AddDaily(const DailyRow& row);
  bool empty() const { return pending_ == 0 && kernel_.num_groups() == 0 && coded_.empty(); }
  // Sorted by (store_id, product_id, then the names). Groups the rows still buffered first, so
  // it is const but not safe to call from two threads at once.
  std::vector<DailyRow> Rows() const;

  // A daily row whose store and product are catalog entries (named by their catalog key).
  struct CodedRow {
    uint64_t key = 0;  // store << 32 | product
    int32_t date = 0;
    int64_t orders = 0, units = 0, sales = 0, cost = 0, gross_profit = 0;
  };
  // When every sale came coded (AddCodedBatch only): the rows Rows() would give, by catalog key
  // and in the same order, into `out`, their catalog into `catalog`, and true. Otherwise false.
  bool CodedRows(std::vector<CodedRow>* out, const table::ReferenceCatalog** catalog) const;

 private:
  static constexpr size_t kKeys = 7;  // store_id, product_id, then the five names
  void Add(int32_t date, const std::string_view (&keys)[kKeys], int64_t orders, int64_t units,
           int64_t sales, int64_t cost, int64_t gross_profit) const;
  void Flush() const;
  // The coded groups into the kernel as names (when other rows share it).
  void FlushCoded() const;

  // Rows added since the last Flush, column by column (their strings' memory reused).
  mutable std::array<std::vector<std::string>, kKeys> keys_;
  mutable std::array<std::vector<int64_t>, 5> totals_;  // orders, units, sales, cost, profit
  mutable std::vector<int32_t> dates_;
  mutable size_t pending_ = 0;
  mutable table::GroupByKernel kernel_;
  mutable std::vector<int32_t> group_dates_;  // the date of each group's first row

  // Sums of coded sales by catalog key (store << 32 | product), in an open-addressing table.
  struct CodedGroup {
    uint64_t key = 0;
    int32_t date = 0;
    uint64_t sums[5] = {};  // orders, units, sales, cost, profit (wrapping, as SumOf keeps them)
  };
  static constexpr size_t kDenseCodedKeys = 1 << 16;
  const table::ReferenceCatalog* catalog_ = nullptr;
  mutable std::vector<CodedGroup> coded_;
  // Group + 1 (0 = none) by store x products + product when the catalog has at most
  // kDenseCodedKeys such pairs, else by hash.
  mutable std::vector<uint32_t> coded_slots_;
};
Status ReadDailyRows(io::FileSystem& fs, const std::string& path, std::vector<DailyRow>* rows);
// Writes rows under PendingPath(path) and describes the file for the ledger.
Status WriteDailyRows(io::FileSystem& fs, const std::string& path, const std::string& partition,
                      const std::vector<DailyRow>& rows, lake::LedgerFile* file);
// The same file from coded rows: their names go to the writer in dictionary form, a store or
// product once, not copied per row.
Status WriteCodedDailyRows(io::FileSystem& fs, const std::string& path,
                           const std::string& partition, const table::ReferenceCatalog& catalog,
                           std::span<const DailyRollup::CodedRow> rows, lake::LedgerFile* file);

// The seed's six tables, accumulated from daily rows: its names, grain and columns in its order
// (money DECIMAL(18,2), averages rounded half away from zero), then columns of ours
// (docs/pipeline.md).
class AggregateTables {
 public:
  AggregateTables();
  void Add(const DailyRow& row);
  // Every row of `rows` (read in place, not copied).
  void AddAll(std::span<const DailyRow> rows);
  // Coded daily rows: summed by catalog key until Write, where each key joins the grains once by
  // its names. Every call names the same catalog.
  void AddCoded(const table::ReferenceCatalog& catalog,
                std::span<const DailyRollup::CodedRow> rows);
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
  void Group(std::span<const DailyRow> rows) const;

  mutable std::vector<DailyRow> pending_;
  mutable std::vector<table::GroupByKernel> grains_;
  const table::ReferenceCatalog* catalog_ = nullptr;
  // Per catalog key: sales, cost, orders, units (wrapping, as SumOf keeps the grains' sums).
  mutable std::unordered_map<uint64_t, std::array<uint64_t, 4>> coded_;
};
// "part-<first 32 hex of SHA-256(key)>.parquet".
std::string PartFileName(std::string_view key);

}  // namespace saleslake::pipeline
