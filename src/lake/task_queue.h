// TaskQueue: the work of a distributed run as rows of the PostgreSQL commit log's `tasks` table,
// claimed by stateless workers (saleslake worker). PostgreSQL is the only coordinator.
//
// A task is (run_id, phase, kind, input). Its states:
//   queued --claim--> running --Complete--> done
//     ^                 |  \--Fail (attempts left)--> queued;  (none left) --> failed
//     |                 |--Release (SIGTERM: handed back)--> queued
//     +--claim after the lease expired (the worker died, hung or lost the network)--+
// A task of phase p is claimable only when every task of its run with a lower phase is done
// (map before reduce before finalize).
//
// Claiming is one short statement: SELECT … FOR UPDATE SKIP LOCKED picks the oldest claimable
// task no one else is claiming, and the same statement marks it running, gives it a new
// fencing token (a sequence, so tokens only grow) and a lease that ends at PostgreSQL's now()
// plus the lease length — one clock for every worker, whatever their own clocks say. Workers
// renew the lease while they work. A worker whose lease expired may still be running (paused,
// partitioned): every commit it makes for the task carries its token (CommitFence) and is
// refused once the task was claimed again, so its late results are never published; the files
// it wrote stay unreferenced until vacuum removes them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "lake/commit_log_store.h"
#include "lake/pg_connection.h"

namespace saleslake::lake {

struct TaskSpec {
  int phase = 0;
  std::string kind;   // "transform", "map", "reduce", "finalize"
  std::string input;  // what the task works on (a batch id, a day), interpreted by its kind
};

struct ClaimedTask {
  int64_t id = 0;
  std::string run_id;
  int phase = 0;
  std::string kind;
  std::string input;
  int64_t token = 0;
  int attempts = 0;  // this claim included

  CommitFence fence() const { return CommitFence{id, token}; }
};

struct WorkerInfo {
  std::string id;
  std::string host;
  int64_t pid = 0;
  std::string state;  // running, stopped
  std::string seen_at;
  int64_t tasks_done = 0;
};

struct LeaseInfo {
  int64_t task_id = 0;
  std::string kind;
  std::string input;
  std::string worker_id;
  int64_t token = 0;
  double seconds_left = 0;  // negative: expired, waiting to be claimed again
};

struct QueueStatus {
  std::map<std::string, int64_t> tasks_by_state;  // queued, running, done, failed
  int64_t claims = 0;                             // claims of every task (attempts)
  int64_t retries = 0;                            // claims beyond each task's first
  int64_t refused_commits = 0;                    // late commits refused by their fencing token
  std::vector<WorkerInfo> workers;
  std::vector<LeaseInfo> leases;
};

class TaskQueue {
 public:
  // Connects to the PostgreSQL commit log at `uri` (its schema must be current).
  static Result<std::unique_ptr<TaskQueue>> Open(std::string_view uri);

  const std::string& described() const { return conn_->described(); }

  // Adds the tasks of a run; a task already there (same run, kind and input) is kept as it is,
  // so enqueueing again after a crash is harmless.
  Status Enqueue(std::string_view run_id, const std::vector<TaskSpec>& tasks, int max_attempts = 5);

  Status RegisterWorker(std::string_view worker_id, std::string_view host, int64_t pid);
  Status WorkerStopped(std::string_view worker_id);

  // The next claimable task, or nullopt when none is. Marks tasks whose lease expired after
  // their last attempt as failed.
  Result<std::optional<ClaimedTask>> Claim(std::string_view worker_id, int lease_seconds);
  // Extends the lease from PostgreSQL's now(); false when the task is no longer held under the
  // token (taken over): the worker should stop, its commits will be refused anyway.
  Result<bool> Renew(const ClaimedTask& task, int lease_seconds);
  // Marks the task done; Aborted (and counted as a refused commit) when its token lost. In the
  // same transaction, only when the task was still held, adds `then` to the task's run (a map
  // task enqueues the reduce tasks of the days it found; a task already there is kept).
  Status Complete(const ClaimedTask& task, std::string_view result,
                  const std::vector<TaskSpec>& then = {});
  // Whether the task is still running under the claim's token.
  Result<bool> Holds(const ClaimedTask& task);
  // Counts a late result or commit of a task that was taken over as refused, and returns the
  // refusal (Aborted, naming the stale fencing token).
  Status Refuse(const ClaimedTask& task);
  // Hands the task back (queued again at once, this attempt not counted against it).
  Status Release(const ClaimedTask& task);
  // Records a failed attempt: queued again, or failed after max_attempts.
  Status Fail(const ClaimedTask& task, std::string_view error);

  // Tasks of one run per state.
  Result<std::map<std::string, int64_t>> RunProgress(std::string_view run_id);
  // The result the last finished task of the run recorded ("" when none).
  Result<std::string> RunResult(std::string_view run_id);
  // The results of the run's done tasks of one phase, by task id.
  Result<std::vector<std::string>> PhaseResults(std::string_view run_id, int phase);
  // Marks the queued and running tasks of every other run failed: a coordinator holding the lake
  // lock supersedes the runs whose coordinator died (their late results are refused).
  Result<int64_t> AbandonOtherRuns(std::string_view run_id);
  // Whether `task` is the first (lowest id) of its kind in its run (a test hook's choice).
  Result<bool> FirstOfKind(const ClaimedTask& task);
  // The first error of a failed task of the run ("" when none failed).
  Result<std::string> RunFailure(std::string_view run_id);
  Result<QueueStatus> Overview();

  PgConnection* connection() { return conn_.get(); }

 private:
  explicit TaskQueue(std::unique_ptr<PgConnection> conn) : conn_(std::move(conn)) {}
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace saleslake::lake
