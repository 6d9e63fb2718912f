// The tasks of a distributed transform run (docs/scale-out.md), each a call that a worker makes
// for a claimed task:
//
//   phase 0  map       one per raw batch: pass 1 (type, judge) over the batch; its clean sales by
//                      business day and its quarantined rows go to one intermediate file,
//                      _work/<run>/map-<ordinal>-<token>.bin, described in the task's result;
//                      completing it enqueues the reduce task of every day it found.
//   phase 1  reduce    one per sale day: the day's sales from every map in batch order, deduped
//                      within the run and against main (pass 2); writes the day's main/sales and
//                      daily_sales files (pending, named with the attempt's token) and its
//                      duplicate conflicts (_work/<run>/reduce-<day>-<token>.bin).
//   phase 2  finalize  one: the quarantine files, the six tables over all of main, and the ONE
//                      commit of the run (fenced by its token) naming the reduces' files, the
//                      quarantine, the rollups and the batches consumed; then the run's tiered
//                      compaction, and the removal of its _work/ files.
//
// Every file an attempt writes has its fencing token in its name, so two attempts of one task
// never share a file: a refused or abandoned attempt's files are named by no commit and no task
// result, and vacuum removes them. The rows written are those of the one-process transform
// (same batches, same order, same passes); only the names of the files differ.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "lake/lake.h"
#include "lake/task_queue.h"

namespace saleslake::pipeline::distributed {

// What every task of a transform run carries: the transform's options, the commit the run
// started from, and the task's own part (a batch, a day).
struct TransformTaskInput {
  int32_t business_utc_offset_seconds = 0;
  int64_t now_micros = 0;
  bool rebuild = false;
  std::string reference_products;  // "" = built-in seed catalog
  std::string reference_stores;
  uint64_t base_seq = 0;  // the log's last commit when the run was enqueued
  // map: the batch and its position in the run; reduce: the day (days since the epoch).
  std::string batch;
  int64_t ordinal = -1;
  int64_t day = INT64_MIN;

  std::string Encode() const;
  static Result<TransformTaskInput> Decode(std::string_view text);
};

// What a task hands back: its result (recorded when it is marked done) and the tasks completing
// it enqueues.
struct TaskOutput {
  std::string result;
  std::vector<lake::TaskSpec> then;
};

struct TaskContext {
  const lake::Lake& lake;
  lake::TaskQueue& queue;
  const lake::ClaimedTask& task;
  int threads = 1;
  // Called once the task's files are written, just before its result is recorded or its commit
  // made (a test hook stops the process there).
  std::function<void()> before_publish;
};

Result<TaskOutput> RunMapTask(const TaskContext& ctx);
Result<TaskOutput> RunReduceTask(const TaskContext& ctx);
Result<TaskOutput> RunFinalizeTask(const TaskContext& ctx);

// The tasks a coordinator enqueues for a run over `batches` (in the order they were extracted):
// a map per batch and the finalize; the reduces come from the maps.
std::vector<lake::TaskSpec> RunTasks(const TransformTaskInput& options,
                                     const std::vector<std::string>& batches);

}  // namespace saleslake::pipeline::distributed
