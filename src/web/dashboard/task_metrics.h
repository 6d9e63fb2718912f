// /metrics of `serve` for a lake whose commit log is in PostgreSQL: the distributed transform's
// task queue as the commit log holds it (lake/task_queue.h), read at each scrape. Gauges, since
// the counts live in PostgreSQL (one worker's restart does not reset them):
//   saleslake_tasks{state}                  tasks per state (queued, running, done, failed)
//   saleslake_task_claims                   claims of every task (attempts)
//   saleslake_task_retries                  claims beyond each task's first
//   saleslake_task_refused_commits          late results and commits refused by their token
//   saleslake_task_workers{state}           workers per state (running, stopped)
//   saleslake_task_queue_up                 1 when the last read of the queue worked
// With the embedded commit log there is no queue and none of these is exported.
#pragma once

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>

#include "lake/task_queue.h"

namespace saleslake::web {

class TaskMetrics {
 public:
  // Registers the families in `registry`; connects on the first Refresh.
  TaskMetrics(std::string commit_log_uri, prometheus::Registry* registry);
  // Reads the queue now (one query per family); a failed read sets saleslake_task_queue_up 0
  // and keeps the last values.
  void Refresh();

 private:
  std::string uri_;
  std::mutex mu_;
  std::unique_ptr<lake::TaskQueue> queue_;
  prometheus::Family<prometheus::Gauge>* tasks_;
  prometheus::Family<prometheus::Gauge>* workers_;
  prometheus::Gauge* claims_;
  prometheus::Gauge* retries_;
  prometheus::Gauge* refused_;
  prometheus::Gauge* up_;
};

}  // namespace saleslake::web
