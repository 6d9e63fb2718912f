// Transform: raw batches -> main/sales (clean, typed, deduplicated, by business day),
// quarantine/sales (rejected records with reason codes, by the batch's ingestion date),
// main/daily_sales and the six aggregate tables — all in one ledger commit.
//
// Incremental and idempotent: it consumes exactly the raw batches the ledger lists as pending,
// so a second run with nothing pending commits nothing. Every output is a function of the lake
// and the options (file names hash the consumed batch ids), so a run that crashed and is
// re-run writes byte-identical files.
//
// Memory: pass 1 streams raw row groups into a SaleSpill (bounded budget); pass 2 handles one day
// partition per thread at a time.
//
// Threads: pass 1 types and judges raw row groups on `threads` threads and collects them in file
// and row-group order; pass 2 lands days on `threads` threads and adds their files to the commit
// in day order. So the lake written is byte-identical for any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/lake.h"
#include "lake/ledger.h"
#include "table/reference_catalog.h"
#include "table/seed_catalog.h"

namespace saleslake::pipeline {

struct TransformOptions {
  int32_t business_utc_offset_seconds = 0;  // the business day of a sale (e.g. +05:30)
  // What sales are checked against (unknown_store, unknown_product, names that disagree with
  // their id): the built-in seed catalog unless the caller says otherwise; null turns the check
  // off. `reference_name` is recorded in the commit (which reference a run used).
  const table::ReferenceCatalog* reference = table::SeedCatalog().get();
  std::string reference_name = std::string(table::kSeedCatalogName);
  int64_t now_micros = 0;  // future_timestamp is judged against this; 0 = the wall clock
  // Clean sales held in memory between the passes before they go to a temporary file (a quarter
  // of it again for quarantined rows).
  size_t spill_budget_bytes = 64 << 20;
  // What the days landing at once (pass 2) may hold; a day larger than its share is deduplicated
  // and sorted in parts through a temporary file, with the same outcome.
  size_t landing_budget_bytes = 160 << 20;
  int threads = 1;     // cores to use; the output is the same for any number
  std::string run_id;  // recorded in the commit; default derived from the batch ids
  // Re-derive main, quarantine, the rollups and the six tables from every raw batch, replacing
  // what is there, in one commit (after a change of reference catalog or validation rules).
  bool rebuild = false;
};

struct TransformResult {
  bool committed = false;  // false when nothing was pending
  uint64_t seq = 0;
  std::vector<std::string> batches;
  uint64_t rows_in = 0;
  uint64_t rows_main = 0;
  uint64_t rows_quarantined = 0;
  uint64_t dropped_duplicates = 0;
  std::map<std::string, uint64_t> quarantine_by_reason;
  uint64_t files_added = 0;
  uint64_t files_removed = 0;
  uint64_t partitions = 0;
  uint64_t files_compacted = 0;  // small files of main/sales merged after the commit
  uint64_t spilled_bytes = 0;
  uint64_t days_in_parts = 0;  // days too large for the landing budget, sorted in parts
  std::string reference;       // what sales were checked against ("builtin:seed", "none", files)

  std::string ToJson() const;
};

// REQUIRES: the caller holds the lake lock and `ledger` was opened with recover.
Result<TransformResult> RunTransform(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                     const TransformOptions& options);

// Takes the lake's lock, opens its log as the writer and runs the transform (what the command
// does, on the lake it opened).
Result<TransformResult> TransformLake(const lake::Lake& lake, const TransformOptions& options);

}  // namespace saleslake::pipeline
