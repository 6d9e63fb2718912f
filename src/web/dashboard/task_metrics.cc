#include "web/dashboard/task_metrics.h"

#include <prometheus/family.h>

#include "base/logging.h"

namespace saleslake::web {
namespace {

prometheus::Gauge* Single(prometheus::Registry* registry, const std::string& name,
                          const std::string& help) {
  return &prometheus::BuildGauge().Name(name).Help(help).Register(*registry).Add({});
}

}  // namespace

TaskMetrics::TaskMetrics(std::string commit_log_uri, prometheus::Registry* registry)
    : uri_(std::move(commit_log_uri)) {
  tasks_ = &prometheus::BuildGauge()
                .Name("saleslake_tasks")
                .Help("Tasks of distributed transforms in the commit log, by state")
                .Register(*registry);
  workers_ = &prometheus::BuildGauge()
                  .Name("saleslake_task_workers")
                  .Help("Workers known to the commit log, by state")
                  .Register(*registry);
  claims_ = Single(registry, "saleslake_task_claims", "Claims of every task (attempts)");
  retries_ = Single(registry, "saleslake_task_retries", "Claims beyond each task's first");
  refused_ = Single(registry, "saleslake_task_refused_commits",
                    "Late results and commits refused by their fencing token");
  up_ =
      Single(registry, "saleslake_task_queue_up", "1 when the last read of the task queue worked");
  for (const char* state : {"queued", "running", "done", "failed"}) tasks_->Add({{"state", state}});
  for (const char* state : {"running", "stopped"}) workers_->Add({{"state", state}});
}

void TaskMetrics::Refresh() {
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_ == nullptr) {
    Result<std::unique_ptr<lake::TaskQueue>> opened = lake::TaskQueue::Open(uri_);
    if (!opened.ok()) {
      up_->Set(0);
      return;
    }
    queue_ = std::move(opened).value();
  }
  Result<lake::QueueStatus> q = queue_->Overview();
  if (!q.ok()) {
    up_->Set(0);
    queue_.reset();  // a lost connection is opened again at the next scrape
    return;
  }
  for (const char* state : {"queued", "running", "done", "failed"}) {
    auto it = q->tasks_by_state.find(state);
    tasks_->Add({{"state", state}})
        .Set(it == q->tasks_by_state.end() ? 0.0 : static_cast<double>(it->second));
  }
  int64_t running = 0, stopped = 0;
  for (const lake::WorkerInfo& w : q->workers) (w.state == "running" ? running : stopped)++;
  workers_->Add({{"state", "running"}}).Set(static_cast<double>(running));
  workers_->Add({{"state", "stopped"}}).Set(static_cast<double>(stopped));
  claims_->Set(static_cast<double>(q->claims));
  retries_->Set(static_cast<double>(q->retries));
  refused_->Set(static_cast<double>(q->refused_commits));
  up_->Set(1);
}

}  // namespace saleslake::web
