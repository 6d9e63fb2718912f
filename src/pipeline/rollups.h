// Rollups kept by transform: main/daily_sales (day x store x product) and the six aggregate
// tables of the seed project, computed from daily_sales (which is small) over all of main.
//
// Money is DECIMAL(18,2) throughout; gross_profit = (mrp - retail_price) x quantity and
// cost = retail_price x quantity, so sales - cost = gross_profit for every clean sale.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/layout.h"
#include "lake/ledger.h"
#include "parquet/writer/column_spec.h"
#include "pipeline/transform_rows.h"

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
class DailyRollup {
 public:
  void AddSale(int32_t date, const SaleRow& sale);
  void AddDaily(const DailyRow& row);
  bool empty() const { return rows_.empty(); }
  // Sorted by (store_id, product_id, then the names).
  std::vector<DailyRow> Rows() const;

 private:
  // Rows by (store_id, product_id) — the key is the two ids, length-prefixed — with the few
  // variants of names under one pair scanned.
  static void KeyOf(std::string_view store_id, std::string_view product_id, std::string* key);
  static bool SameNames(const DailyRow& a, const DailyRow& b);
  std::unordered_map<std::string, std::vector<DailyRow>> rows_;
  std::string key_;  // scratch
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
  void Add(const DailyRow& row);
  // Writes main/<table>/part-<key>.parquet for each table (pending), appends them to
  // commit->added, and removes the tables' previous files (from `state`).
  Status Write(io::FileSystem& fs, const lake::LedgerState& state, const std::string& key,
               lake::LedgerCommit* commit) const;

  static const std::vector<std::string>& TableNames();

 private:
  struct Totals {
    int64_t sales = 0, cost = 0, gross_profit = 0, orders = 0, units = 0;
    void Add(const DailyRow& r) {
      sales += r.sales;
      cost += r.cost;
      gross_profit += r.gross_profit;
      orders += r.orders;
      units += r.units;
    }
  };
  // Grains of the seed's tables: brand; category; (store_name, store_location);
  // (product_name, brand, store_name, store_location).
  std::map<std::string, Totals> brand_, category_;
  std::map<std::array<std::string, 2>, Totals> store_;
  std::map<std::array<std::string, 4>, Totals> product_;
  using Ranked = const decltype(product_)::value_type*;
  // highest_sold_product's order: total_sales desc, total_quantity desc, then the four keys.
  std::vector<Ranked> RankedProducts() const;
};

// "part-<first 32 hex of SHA-256(key)>.parquet".
std::string PartFileName(std::string_view key);

}  // namespace saleslake::pipeline
