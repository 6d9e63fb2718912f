// `saleslake worker`: a stateless worker of a lake whose commit log is in PostgreSQL. It claims a
// task (lake/task_queue.h), does it, commits through the commit log with the task's fencing
// token, marks it done, and repeats. Any number of workers on any machines may point at the same
// commit log and lake; PostgreSQL is the only coordinator.
//
// While a task runs, a second connection renews its lease every third of the lease. SIGTERM
// (or SIGINT) stops claiming: a task in progress is finished (its commit is fenced like any
// other), then the worker records itself stopped and exits 0. A worker killed outright leaves a
// lease that expires; another worker then claims the task again under a new token.
//
// Task kinds: "transform" — input: the transform's options (TransformTaskInput); it runs the
// transform of every pending raw batch as one fenced commit.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "pipeline/transform.h"

namespace saleslake::pipeline::distributed {

struct WorkerOptions {
  std::string lake_uri;
  int lease_seconds = 30;
  double poll_seconds = 0.5;
  int threads = 1;  // the transform's threads; one core per worker: scale by running more
  // Exit once no task of any run is queued or running (how `transform --workers` runs them).
  bool exit_when_idle = false;
  // For tests of leases and fencing: stop this process (SIGSTOP) right after claiming a task's
  // first attempt and reading the commit log, as a worker that hangs would.
  bool stop_after_first_claim = false;
};

// What a transform task carries: the transform's options as text.
struct TransformTaskInput {
  int32_t business_utc_offset_seconds = 0;
  int64_t now_micros = 0;
  bool rebuild = false;
  std::string reference_products;  // "" = built-in seed catalog
  std::string reference_stores;
  std::string Encode() const;
  static Result<TransformTaskInput> Decode(std::string_view text);
};

// Runs the claim loop until `stop` turns true (or, with exit_when_idle, the queue is idle).
// The commit log is the one the command was given (--commit-log).
Status RunWorker(const WorkerOptions& options, const std::atomic<bool>& stop);

// argv[0] is "worker".
int WorkerCommand(int argc, char** argv);

}  // namespace saleslake::pipeline::distributed
