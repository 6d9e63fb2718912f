// The quarantine: listing rejected records, and replaying them after their cause is fixed (a
// reference catalog updated, a rule relaxed). Replay re-validates each record's original text;
// those that now pass move to main/sales exactly once — one commit removes them from the
// quarantine (its files rewritten without them) and adds them to main, deduplicated against main
// like any transform. Main rows keep their source batch in _batch_id; the commit records the
// run id.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"
#include "table/reference_catalog.h"

namespace saleslake::pipeline {

struct QuarantinedRecord {
  std::string reason;
  std::string detail;
  std::string raw;
  int64_t record_index = 0;
  std::string batch_id;
  std::string path;  // the quarantine file
};

// Quarantined records whose reasons include `reason` ("" = all), at most `limit` (0 = all),
// in file order.
Result<std::vector<QuarantinedRecord>> ListQuarantine(io::FileSystem& fs,
                                                      const lake::LedgerState& state,
                                                      const std::string& reason, uint64_t limit);

struct ReplayOptions {
  std::string reason;  // only records with this reason code ("" = every record)
  const table::ReferenceCatalog* reference = nullptr;
  int32_t business_utc_offset_seconds = 0;
  int64_t now_micros = 0;
  size_t spill_budget_bytes = 256 << 20;
};

struct ReplayResult {
  bool committed = false;
  uint64_t seq = 0;
  std::string run_id;
  uint64_t examined = 0;
  uint64_t moved_to_main = 0;
  uint64_t still_quarantined = 0;  // failed again, or came back as duplicate_conflict
  uint64_t dropped_duplicates = 0;
  std::map<std::string, uint64_t> moved_by_batch;

  std::string ToJson() const;
};

// REQUIRES: the lake lock is held and `ledger` was opened with recover.
Result<ReplayResult> RunReplay(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                               const ReplayOptions& options);

}  // namespace saleslake::pipeline
