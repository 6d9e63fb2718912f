// `saleslake transform --workers N` (and `run --workers N` after its extract): the transform as
// tasks in the PostgreSQL commit log, done by N local worker processes (`saleslake worker`),
// while workers on other machines may join.
//
// The calling process is the coordinator: it holds the lake lock (so no other single-process
// writer interleaves), finishes unfinished commits, enqueues the run's tasks (the run id is
// derived from the pending batch ids, so a coordinator restarted after a crash enqueues the same
// run and finds its finished tasks done), starts the workers with the commit log in their
// environment (never on their command line, where `ps` would show a password), waits until no
// task of the run is queued or running, and waits for its workers to exit.
//
// Work split: a map task per raw batch, a reduce task per sale day (enqueued by the maps) and
// one finalize that makes the run's one commit (transform_tasks.h). A worker killed mid-task is
// replaced by another after its lease expires; a stale worker's result or commit is refused.
#pragma once

#include <string>

#include "base/status.h"
#include "lake/lake.h"
#include "pipeline/distributed/worker.h"
#include "pipeline/transform.h"

namespace saleslake::pipeline::distributed {

struct DistributedOptions {
  int workers = 1;
  int lease_seconds = 0;  // 0: the workers' own default (--lease-seconds, SALESLAKE_LEASE_SECONDS)
  // Extra arguments for every worker ("--log-format json").
  std::vector<std::string> worker_args;
};

// Returns the transform's result as the committing worker reported it ({"committed":false} when
// nothing was pending).
Result<std::string> TransformWithWorkers(const lake::Lake& opened, const TransformTaskInput& input,
                                         const DistributedOptions& options);

// The same, for a caller that holds the lake lock (`run --workers`, after its extract).
Result<std::string> TransformWithWorkersLocked(const lake::Lake& lake,
                                               const TransformTaskInput& input,
                                               const DistributedOptions& options);

// The result's JSON read back (what `run` records).
Result<TransformResult> ParseTransformResult(std::string_view json);

// The error for --workers without the PostgreSQL commit log ("" when it is there).
std::string WorkersNeedPostgres();

}  // namespace saleslake::pipeline::distributed
