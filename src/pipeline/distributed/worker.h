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
// Task kinds: "map", "reduce" and "finalize", the phases of a distributed transform
// (transform_tasks.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "pipeline/distributed/transform_tasks.h"

namespace saleslake::pipeline::distributed {

struct WorkerOptions {
  std::string lake_uri;
  int lease_seconds = 30;
  double poll_seconds = 0.5;
  int threads = 1;  // the transform's threads; one core per worker: scale by running more
  // Exit once no task of any run is queued or running (how `transform --workers` runs them).
  bool exit_when_idle = false;
  // For tests of leases and fencing: stop this process (SIGSTOP) in the first attempt of the
  // first task of this kind ("map", "reduce", "finalize") of a run, once its files are written
  // and before its result is recorded (or its commit made), as a worker that hangs would.
  std::string stop_in;
};

// Runs the claim loop until `stop` turns true (or, with exit_when_idle, the queue is idle).
// The commit log is the one the command was given (--commit-log).
Status RunWorker(const WorkerOptions& options, const std::atomic<bool>& stop);

// argv[0] is "worker".
int WorkerCommand(int argc, char** argv);

}  // namespace saleslake::pipeline::distributed
