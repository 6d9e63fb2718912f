#include "pipeline/distributed/worker_status.h"

#include <fmt/format.h>

#include "base/json_writer.h"
#include "lake/commit_log_store.h"
#include "lake/pg_connection.h"
#include "lake/task_queue.h"

namespace saleslake::pipeline::distributed {
namespace {

Result<std::unique_ptr<lake::TaskQueue>> OpenQueue() {
  const std::string uri = lake::CommitLogFlag();
  if (!lake::IsPostgresUri(uri)) return std::unique_ptr<lake::TaskQueue>();
  return lake::TaskQueue::Open(uri);
}

}  // namespace

Result<std::string> CommitLogStatusText() {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::TaskQueue> queue, OpenQueue());
  if (!queue) return std::string();
  SL_ASSIGN_OR_RETURN(lake::QueueStatus s, queue->Overview());
  std::string out = fmt::format("commit log: {}\n", queue->described());
  out += "tasks:";
  for (const char* state : {"queued", "running", "done", "failed"}) {
    out += fmt::format(" {} {}", s.tasks_by_state[state], state);
  }
  out += fmt::format("; {} retried claim(s), {} refused late commit(s)\n", s.retries,
                     s.refused_commits);
  out += fmt::format("workers: {}\n", s.workers.size());
  for (const lake::WorkerInfo& w : s.workers) {
    out += fmt::format("  {}  {} pid {}  {}  seen {}  {} task(s) done\n", w.id, w.host, w.pid,
                       w.state, w.seen_at, w.tasks_done);
  }
  if (!s.leases.empty()) {
    out += "leases:\n";
    for (const lake::LeaseInfo& l : s.leases) {
      out += fmt::format(
          "  task {} ({}) held by {} token {}: {}\n", l.task_id, l.kind, l.worker_id, l.token,
          l.seconds_left >= 0 ? fmt::format("{:.1f} s left", l.seconds_left)
                              : fmt::format("expired {:.1f} s ago, claimable", -l.seconds_left));
    }
  }
  return out;
}

Result<std::string> CommitLogStatusJson() {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::TaskQueue> queue, OpenQueue());
  if (!queue) return std::string();
  SL_ASSIGN_OR_RETURN(lake::QueueStatus s, queue->Overview());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("uri", queue->described());
  w.Key("tasks");
  w.BeginObject();
  for (const char* state : {"queued", "running", "done", "failed"}) {
    w.Field(state, s.tasks_by_state[state]);
  }
  w.EndObject();
  w.Field("retries", s.retries);
  w.Field("refused_commits", s.refused_commits);
  w.Key("workers");
  w.BeginArray();
  for (const lake::WorkerInfo& wk : s.workers) {
    w.BeginObject();
    w.Field("id", wk.id);
    w.Field("host", wk.host);
    w.Field("pid", wk.pid);
    w.Field("state", wk.state);
    w.Field("seen_at", wk.seen_at);
    w.Field("tasks_done", wk.tasks_done);
    w.EndObject();
  }
  w.EndArray();
  w.Key("leases");
  w.BeginArray();
  for (const lake::LeaseInfo& l : s.leases) {
    w.BeginObject();
    w.Field("task_id", l.task_id);
    w.Field("kind", l.kind);
    w.Field("worker_id", l.worker_id);
    w.Field("token", l.token);
    w.Field("seconds_left", l.seconds_left);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

}  // namespace saleslake::pipeline::distributed
