// Test helpers: land raw batches (as extract does) from generator output.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"

namespace saleslake::pipeline::testing {

// Types every NDJSON line with the validator (as extract does: _raw kept when a field did not
// type) and commits it as one raw batch `batch_id`, ingested at `ingested_at`.
void LandRawBatch(std::shared_ptr<io::FileSystem> fs, const std::string& ndjson,
                  const std::string& batch_id, int64_t ingested_at);

// `records` generated records as NDJSON (seeded, `now`, dirty rate).
std::string GenerateNdjson(uint64_t records, uint64_t seed, int64_t now_micros, double dirty,
                           std::map<std::string, uint64_t>* dirty_counts = nullptr, int days = 100);

struct MainRow {
  std::string id;
  std::string content;  // every field, printed
  std::string partition;
  int64_t timestamp_micros = 0;
};
// Every row of the committed files of main/sales.
std::vector<MainRow> ReadMainRows(std::shared_ptr<io::FileSystem> fs);
// Rows of the committed files of a table.
uint64_t CommittedRows(std::shared_ptr<io::FileSystem> fs, std::string_view table);
// Path -> bytes of every committed data file.
std::map<std::string, std::string> CommittedFiles(std::shared_ptr<io::FileSystem> fs);

}  // namespace saleslake::pipeline::testing
