// Pass 2 of transform (and of quarantine replay): lands clean rows, bucketed by business day,
// into main/sales, deduplicated by transaction_id within the run and against what main already
// holds; keeps main/daily_sales and the aggregate tables; writes the quarantine files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"
#include "pipeline/rollups.h"
#include "pipeline/sale_columns.h"
#include "pipeline/transform_rows.h"

namespace saleslake::pipeline {

// A source batch of the run: where its quarantined rows go and their lineage.
struct BatchInfo {
  std::string id;
  std::string source;
  int64_t ingested_at = 0;
  std::string quarantine_partition;  // "year=…/month=…/day=…" (the batch's ingestion date)
};

struct LandingCounts {
  uint64_t rows_main = 0;
  uint64_t rows_quarantined = 0;
  uint64_t dropped_duplicates = 0;
  uint64_t partitions = 0;
  uint64_t days_in_parts = 0;  // days larger than the landing budget, sorted in parts
  std::map<std::string, uint64_t> quarantine_by_reason;

  void CountQuarantined(uint32_t reasons);
};

// Lands every day bucket of `sales`, appending conflicts to `quarantine` (keyed by batch
// ordinal), files to commit->added/removed, and rolls all of main up into the aggregates.
// `run_key` makes the file names (same run key => same names). Days land on `threads` threads
// and join the commit in day order, so the outcome is the same for any number of threads.
// `landing_budget_bytes` bounds the memory of the days in flight: a day beyond its share is
// deduplicated and sorted in parts through a temporary file, with the same outcome.
inline constexpr size_t kLandingBudgetBytes = 160 << 20;
Status LandSales(io::FileSystem& fs, const lake::LedgerState& state, const std::string& run_key,
                 const std::vector<BatchInfo>& batches, int threads, SaleSpill* sales,
                 Spill* quarantine, LandingCounts* counts, lake::LedgerCommit* commit,
                 size_t landing_budget_bytes = kLandingBudgetBytes);

// Writes quarantine/sales/<partition>/batch-<id>.parquet for every batch with quarantined rows
// (rows sorted by record index). A non-empty `name_suffix` gives batch-<id>-<suffix>.parquet
// (replay rewrites a batch's quarantine file under a new name, so old and new never collide).
Status WriteQuarantineFiles(io::FileSystem& fs, const std::vector<BatchInfo>& batches,
                            Spill* quarantine, const std::string& name_suffix,
                            lake::LedgerCommit* commit);

// The day (days since the epoch) of a UTC instant in the business offset.
int64_t BusinessDay(int64_t micros, int32_t utc_offset_seconds);

}  // namespace saleslake::pipeline
