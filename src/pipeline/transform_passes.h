// The transform's passes, callable one at a time: what the tasks of a distributed transform
// (pipeline/distributed/) run. RunTransform (transform.h) is these passes over every pending
// batch in one process; a distributed run does pass 1 per raw batch (map), pass 2 per day (reduce)
// and the rollups and the commit once (finalize), and writes the same rows.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"
#include "pipeline/rollups.h"
#include "pipeline/sale_columns.h"
#include "pipeline/transform.h"
#include "pipeline/transform_land.h"
#include "pipeline/transform_rows.h"

namespace saleslake::pipeline {

// Pass 1 over one raw batch: types and judges its rows (on options.threads threads), appends the
// clean ones to `sales` by business day, tagged as batch `ordinal` of the run, and its rejected
// ones, encoded, to `quarantine` under key 0. Fills batch->source, ingested_at and
// quarantine_partition (batch->id is the caller's).
Status TypeRawBatch(io::FileSystem& fs, const lake::LedgerFile& raw_file, uint32_t ordinal,
                    const TransformOptions& options, BatchInfo* batch, SaleSpill* sales,
                    Spill* quarantine, uint64_t* rows_in, LandingCounts* counts);

// The quarantine spill holds a batch's rows rejected in pass 1 under its ordinal, in record order,
// and the duplicate conflicts pass 2 finds (out of order) under this plus its ordinal.
inline constexpr int64_t kConflictKeys = int64_t{1} << 40;

// One day partition in flight through pass 2: its sales, and what landing them gave.
struct DayWork {
  int64_t day = 0;
  // The day's sales: all of them in `rows`, or, for a day larger than the landing budget allows,
  // in `parts` (keys 0..num_parts-1, by a hash of transaction_id, so that copies of one sale
  // meet in one part) with `rows` empty.
  SaleColumns rows;
  std::unique_ptr<SaleSpill> parts;
  size_t num_parts = 0;
  size_t part_budget = 0;               // bytes a part of the day may hold in memory
  std::vector<lake::LedgerFile> added;  // its main/sales file, then its daily_sales file
  std::vector<std::string> removed;     // the daily_sales files it replaces
  // The day's rollup after this run: by catalog key when every sale came coded (daily_catalog
  // set), else by name.
  std::vector<DailyRow> daily;
  std::vector<DailyRollup::CodedRow> coded_daily;
  const table::ReferenceCatalog* daily_catalog = nullptr;
  std::vector<std::pair<uint32_t, std::string>> conflicts;  // batch ordinal, encoded row
  uint64_t dropped = 0;
  uint64_t kept = 0;
  // The row group of main/sales being written: kept from day to day, so that its buffers' memory
  // is not allocated (and faulted in) again for every day.
  std::unique_ptr<table::ColumnBatch> main_batch;
};

struct LandingInputs {
  io::FileSystem& fs;
  const std::string& run_key;  // names the files: same key, same names
  const std::vector<BatchInfo>& batches;
  const std::map<std::string, std::vector<lake::LedgerFile>>& main_files;   // by partition
  const std::map<std::string, std::vector<lake::LedgerFile>>& daily_files;  // by partition
};

// The landing's counts and the commit's numbers of files added and removed, into `result`
// (days_in_parts is left to the caller: only the one-process transform sorts days in parts).
void CountsIntoResult(const LandingCounts& counts, const lake::LedgerCommit& commit,
                      TransformResult* result);

// The details of a transform's commit record (counts, the business offset, the reference):
// written alike by the one-process transform and a distributed run's finalize.
std::string TransformDetailsJson(const TransformResult& r, const TransformOptions& options);

// Pass 2 for one day: dedupes its sales (within the run, in batch then record order; then
// against main), writes its main/sales file and its rewritten daily_sales file (pending). Touches
// nothing shared: the results stay in `w`. Nothing is written when no sale is kept.
Status LandDay(const LandingInputs& in, DayWork* w);

}  // namespace saleslake::pipeline
