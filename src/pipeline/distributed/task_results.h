// What the tasks of a distributed transform share: their options resolved, the lake state a run
// works on, where its intermediate files go, and the results map and reduce tasks record (JSON
// in the task's row) for the tasks of later phases to find their inputs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"
#include "pipeline/distributed/transform_tasks.h"
#include "pipeline/reference_flags.h"
#include "pipeline/sale_columns.h"
#include "pipeline/transform.h"

namespace saleslake::pipeline::distributed {

// The transform's options of a task (the reference catalog loaded and owned here).
struct ResolvedOptions {
  ReferenceFlags reference;
  TransformOptions options;
};
Result<std::unique_ptr<ResolvedOptions>> ResolveOptions(const TransformTaskInput& in, int threads);

// The state a run transforms: the log's state, or for a rebuild the state without its derived
// files (main/*, quarantine/*: listed in *derived) and with every batch pending.
lake::LedgerState RunState(const lake::LedgerState& state, bool rebuild,
                           std::vector<std::string>* derived);

// Refuses a task whose run started from another commit than the log's last: the lake changed
// under the run (its coordinator holds the lake lock, so only a writer that ignored it could).
Status CheckBase(const lake::LedgerState& state, const TransformTaskInput& in);

// "_work/<run_id>/<name>".
std::string WorkPath(std::string_view run_id, std::string_view name);

// A byte range of an intermediate file holding rows of one key (a day, a batch ordinal).
struct Segment {
  int64_t key = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t rows = 0;
};

struct MapResult {
  std::string batch;
  int64_t ordinal = 0;
  uint64_t rows_in = 0;
  std::string source;
  int64_t ingested_at = 0;
  std::string quarantine_partition;
  std::string file;                         // the intermediate file ("" when the batch had no rows)
  std::vector<Segment> days;                // key: the day; SaleColumns spill chunks
  std::vector<Segment> quarantine;          // at most one (key 0): encoded QuarantineRows
  std::map<std::string, uint64_t> reasons;  // quarantined rows by reason

  std::string ToJson() const;
  static Result<MapResult> Parse(std::string_view json);
};

struct ReduceResult {
  int64_t day = 0;
  uint64_t kept = 0;
  uint64_t dropped = 0;
  std::vector<lake::LedgerFile> added;  // main/sales, then daily_sales (pending)
  std::vector<std::string> removed;     // daily_sales files replaced
  std::string file;                     // the conflicts' intermediate file ("" when none)
  std::vector<Segment> conflicts;       // key: the batch ordinal; encoded QuarantineRows

  std::string ToJson() const;
  static Result<ReduceResult> Parse(std::string_view json);
};

// The results of a run's maps, in batch order (checked: ordinals 0..n-1, each once).
Result<std::vector<MapResult>> MapResultsOf(lake::TaskQueue& queue, std::string_view run_id);

// A day's clean sales as bytes of an intermediate file (the spill's chunk format: the same
// binary and machine architecture read what it wrote), and back (appended to *out).
Result<std::string> SaleColumnsBytes(const SaleColumns& columns);
Status AppendSaleColumns(std::string_view bytes, SaleColumns* out);

// Reads a segment of an intermediate file.
Status ReadSegment(io::RandomAccessFile& file, const Segment& segment, std::string* out);

}  // namespace saleslake::pipeline::distributed
