// `saleslake run`: one pipeline run = extract (N API responses or files) → transform → the
// steps registered after it (the crawl), under one lake lock, with a run record.
//
// Run records are the runs' history the status command and the dashboard show:
//   _runs/<started, yyyymmddThhmmss.ffffffZ>-<run id>.json
// one JSON object per run, published atomically when the run ends (whatever its end): run_id,
// started_at, finished_at, status ("ok", "failed" or "interrupted"), error, the extracted batches
// (id, rows, bytes, already_extracted), the transform's counts (rows in/main/quarantined,
// quarantine_by_reason, dropped duplicates, commit), each step's duration, and the steps after.
// Records name commits; they are not the source of truth for data (the ledger is).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/lake.h"
#include "lake/layout.h"
#include "lake/run_steps.h"
#include "pipeline/extract.h"
#include "pipeline/http_source.h"
#include "pipeline/transform.h"

namespace saleslake::pipeline {

using lake::kRunsDir;

using lake::RunStepResult;

struct RunRecord {
  std::string run_id;
  int64_t started_at_micros = 0;
  int64_t finished_at_micros = 0;
  std::string status;  // "ok" | "failed" | "interrupted"
  std::string error;   // set when failed
  std::vector<ExtractResult> batches;
  int64_t extract_micros = 0;
  std::optional<TransformResult> transform;
  int64_t transform_micros = 0;
  std::vector<RunStepResult> after;

  std::string ToJson() const;
  uint64_t rows_extracted() const;
};

// A step after the transform, e.g. the crawl (registered by a layer above the pipeline). It runs
// under the run's lock; its error fails the run.
using lake::AfterTransformStep;

struct RunOptions {
  std::shared_ptr<lake::Lake> lake;  // opened once by the command, shared by every run and step
  std::string api;                   // GET this URL once per batch, or
  std::vector<std::string> from;     // these files (one batch each)
  int batches = 1;                   // with api
  HttpFetchOptions http;
  ExtractOptions extract;      // now_micros 0 = the wall clock at the run's start
  TransformOptions transform;  // now_micros 0 = the wall clock
  // When set (`run --workers N`), the transform is this call instead of the in-process one: the
  // distributed transform, run under the run's lake lock after the extract.
  std::function<Result<TransformResult>()> distributed_transform;
  std::vector<AfterTransformStep> after;
  // Set (by a signal handler) to stop: the step under way finishes, later ones are skipped and
  // the run ends "interrupted". May be null.
  const std::atomic<bool>* stop = nullptr;
};

// A fresh run id: 16 hex digits.
std::string NewRunId();

// Runs the pipeline once on the lake and writes its run record. A failed step ends the run (the
// record says "failed" and why) and the error is returned; committed work stays committed.
Result<RunRecord> RunPipelineOnce(const RunOptions& options);

// Publishes `record` under _runs/.
Status WriteRunRecord(io::FileSystem& fs, const RunRecord& record);

// The newest `limit` run records as JSON texts, newest first (unreadable ones are skipped).
Result<std::vector<std::string>> ReadRecentRunRecords(io::FileSystem& fs, size_t limit);

}  // namespace saleslake::pipeline
