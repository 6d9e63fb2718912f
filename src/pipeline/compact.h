// Compaction: merges the small files of each partition of a table into one file, as one ledger
// commit of kind "compact" — a change of layout, not of data: the same rows, in the same order
// (files in path order, rows in file order). Readers that follow the ledger see either the old
// files or the new one, never both; engines that list directories see both only for the short
// window between the commit and the deletion of the old files (docs/pipeline.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/lake.h"
#include "lake/ledger.h"

namespace saleslake::pipeline {

struct CompactOptions {
  std::string table = "main/sales";
  // Files at least this large are left alone; a partition is merged while its small files add up
  // to at most this (bounds the size of a merged file).
  uint64_t target_file_bytes = 128ull << 20;
  int threads = 1;  // partitions merged at once; the output is the same for any number
};

struct CompactResult {
  bool committed = false;
  uint64_t seq = 0;
  uint64_t partitions = 0;  // partitions rewritten
  uint64_t files_removed = 0;
  uint64_t files_added = 0;
  uint64_t rows = 0;  // rows moved (the same before and after)

  std::string ToJson() const;
};

// REQUIRES: the lake lock is held and `ledger` was opened with recover.
Result<CompactResult> RunCompact(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                 const CompactOptions& options);

// Tiered compaction of the partitions a run touched (what transform runs after each commit):
// small files of similar size (a tier: the same power of `fanout` in rows) merge once `fanout`
// of them meet, so a partition holds at most (fanout - 1) files per tier however many runs wrote
// to it, each row is rewritten about log_fanout(rows) times in all, and a run's cost stays
// proportional to the partitions it touched. Partitions not listed are not read.
struct TieredCompactOptions {
  std::string table = "main/sales";
  std::vector<std::string> partitions;  // "year=2026/month=11/day=26"
  uint64_t fanout = 4;
  uint64_t target_file_bytes = 128ull << 20;  // files this large are left alone
  int threads = 1;  // partitions merged at once; the output is the same for any number
};

// REQUIRES: the lake lock is held and `ledger` was opened with recover.
Result<CompactResult> RunTieredCompact(std::shared_ptr<io::FileSystem> fs, lake::Ledger* ledger,
                                       const TieredCompactOptions& options);

Result<CompactResult> CompactLake(const lake::Lake& lake, const CompactOptions& options);

}  // namespace saleslake::pipeline
