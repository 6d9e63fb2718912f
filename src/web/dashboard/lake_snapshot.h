// LakeSnapshot: what the dashboard shows, held in memory — the rows of main/daily_sales in
// columnar form (day x store x product), the dimension tables behind them, per-table file counts
// and the ledger's recent history — as of one ledger commit. A snapshot never changes; the loader
// builds a new one when a new commit lands and the server swaps it in (readers keep the one they
// started with).
//
// daily_sales is small whatever the size of main (at most days x stores x products rows), which is
// what lets every dashboard call answer in a few milliseconds without touching Parquet.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"

namespace saleslake::web {

struct StoreDim {
  std::string id, name, city;
  int32_t city_index = 0;
};

struct ProductDim {
  std::string id, name;
  int32_t brand_index = 0;
  int32_t category_index = 0;
};

// One committed data table, as the ledger lists it.
struct TableStats {
  std::string table;  // "main/sales"
  uint64_t files = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  uint64_t partitions = 0;
};

// A ledger commit, summarised for the pipeline page.
struct CommitSummary {
  uint64_t seq = 0;
  std::string kind;
  std::string run_id;
  int64_t committed_at_micros = 0;
  uint64_t files_added = 0;
  uint64_t files_removed = 0;
  uint64_t rows_added = 0;
  uint64_t bytes_added = 0;
  std::vector<std::string> landed_batches;
  std::vector<std::string> consumed_batches;
  std::map<std::string, int64_t> quarantine_by_reason;
  std::string details_json = "{}";
};

// Sums of daily_sales rows.
struct RollupTotals {
  int64_t orders = 0, units = 0, sales = 0, cost = 0, profit = 0;
  void Add(const RollupTotals& o) {
    orders += o.orders;
    units += o.units;
    sales += o.sales;
    cost += o.cost;
    profit += o.profit;
  }
};

// Day rows in columns, sorted by date (then key): a pre-aggregate of daily_sales, its sums per
// day and one dimension. Rows of day first_day + d are [day_begin[d], day_begin[d + 1]).
struct DayColumns {
  std::vector<int32_t> date;  // days since 1970-01-01
  std::vector<int32_t> key;   // the dimension's index (brand, store, ...); 0 for per-day totals
  std::vector<int64_t> orders, units, sales, cost, profit;  // money in paise
  std::vector<uint32_t> day_begin;
  size_t size() const { return date.size(); }
};

struct LakeSnapshot {
  std::string lake_uri;
  uint64_t last_seq = 0;
  int64_t last_commit_micros = 0;  // 0 when the lake has no commit
  int64_t loaded_at_micros = 0;

  // Dimensions, sorted by their display key (brand and category by name, stores and products by
  // id). Rows refer to them by index.
  std::vector<std::string> brands, categories, cities;
  std::vector<StoreDim> stores;
  std::vector<ProductDim> products;

  // main/daily_sales, sorted by date; one entry per row.
  std::vector<int32_t> date;  // days since 1970-01-01
  std::vector<int32_t> store, product;
  std::vector<int64_t> orders, units, sales, cost, profit;  // money in paise
  // Rows of day d are [day_begin[d - first_day], day_begin[d - first_day + 1]).
  int32_t first_day = 0, last_day = -1;  // last_day < first_day when there are no rows
  std::vector<uint32_t> day_begin;

  // Dimension lookups in compact form, and per row the brand and category of its product and
  // the city of its store: the key columns a filtered view groups by.
  std::vector<int32_t> product_brand, product_category, store_city;
  std::vector<int32_t> row_brand, row_category, row_city;
  // Pre-aggregates for views without a brand/category/store/city filter: daily_sales summed per
  // day, and per day and brand, category, store, city or product (through the aggregation
  // kernel, as the views are). They make those views O(days x keys), not O(rows).
  DayColumns per_day, per_brand, per_category, per_store, per_city, per_product;

  // The business day's UTC offset of the last transform (its commit records it); and main/sales'
  // committed files by business day, read only to cut a comparison's last day at a time of day.
  int32_t business_utc_offset_seconds = 0;
  std::shared_ptr<io::FileSystem> fs;
  std::map<int32_t, std::vector<std::string>> sales_files;

  std::vector<TableStats> tables;
  std::map<std::string, int64_t> quarantine_by_reason;  // over every commit
  std::vector<CommitSummary> commits;                   // every commit, oldest first
  uint64_t batches_extracted = 0, batches_transformed = 0, batches_pending = 0;
  // `saleslake run` records (_runs/), newest first, as JSON texts; and how many files _runs/ held.
  std::vector<std::string> run_records;
  size_t run_record_files = 0;

  // Committed daily_sales files that could not be read (missing, cut short), "path: why": the
  // server stays up, degraded; the panels built on daily_sales refuse to answer without them
  // (DegradedReason) and /healthz says so. Other pages and the SQL console keep working.
  std::vector<std::string> unreadable_daily_files;
  // "" when whole; else one line naming the first unreadable file and what to do.
  std::string DegradedReason() const;

  size_t rows() const { return date.size(); }
  bool empty() const { return date.empty(); }
  // [begin, end) row range for days [from, to] (clamped to the data).
  std::pair<size_t, size_t> DayRange(int32_t from, int32_t to) const;
};

// Builds snapshots of one lake, reading only what changed since the previous one: the commits
// after it, and daily_sales files it has not read before (a file's path names its content: the
// pipeline writes a rewritten partition under a new name). Not thread-safe: one loader thread.
class LakeSnapshotLoader {
 public:
  explicit LakeSnapshotLoader(std::shared_ptr<io::FileSystem> fs);
  ~LakeSnapshotLoader();

  // True when the lake has a commit after `seq` (one existence check: cheap enough to poll).
  Result<bool> HasCommitAfter(uint64_t seq);
  // The number of files under _runs/ (a run that failed before committing adds only a record).
  Result<size_t> CountRunRecords();
  // A snapshot as of the ledger's last commit.
  Result<std::shared_ptr<const LakeSnapshot>> Load();

  io::FileSystem& fs() { return *fs_; }
  const std::shared_ptr<io::FileSystem>& shared_fs() const { return fs_; }

 private:
  struct DailyFile;
  struct Dimensions;
  std::shared_ptr<io::FileSystem> fs_;
  std::unique_ptr<Dimensions> dims_;  // stores and products seen so far, by interned id
  std::map<std::string, std::shared_ptr<const DailyFile>> daily_files_;  // by path
  std::vector<CommitSummary> commits_;                                   // read so far
};

// Days since the epoch as "YYYY-MM-DD", and back.
std::string FormatDay(int64_t day);
Result<int32_t> ParseDay(std::string_view text);

}  // namespace saleslake::web
