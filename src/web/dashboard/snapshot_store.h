// SnapshotStore: the dashboard's current LakeSnapshot, swapped when a new ledger commit lands.
// A refresher thread polls the ledger (one existence check per interval) and loads the new state
// incrementally; handlers take the current snapshot and keep it for the whole request.
#pragma once

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "web/dashboard/lake_snapshot.h"

namespace saleslake::web {

class SnapshotStore {
 public:
  // Lake gauges (rows, files and bytes per table, quarantined rows by reason, last commit age)
  // go to `registry` when given.
  SnapshotStore(std::shared_ptr<io::FileSystem> fs, prometheus::Registry* registry);
  ~SnapshotStore();
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // Loads the lake's current state (the first load, or a forced refresh after a run).
  Status Refresh();
  // Polls for new commits every `interval_micros` until Stop() (or destruction).
  void StartPolling(int64_t interval_micros);
  void Stop();

  // The current snapshot (never null after a successful Refresh; an empty snapshot before).
  std::shared_ptr<const LakeSnapshot> Get() const;
  bool ready() const { return ready_.load(); }
  const std::shared_ptr<io::FileSystem>& fs() const { return loader_.shared_fs(); }

 private:
  void Poll(int64_t interval_micros);
  void UpdateMetrics(const LakeSnapshot& snap);

  LakeSnapshotLoader loader_;
  std::mutex load_mu_;  // one load at a time
  mutable std::mutex mu_;
  std::shared_ptr<const LakeSnapshot> current_;
  std::atomic<bool> ready_{false};

  std::mutex poll_mu_;
  std::condition_variable poll_cv_;
  bool stop_ = false;
  std::thread poller_;

  prometheus::Family<prometheus::Gauge>* rows_ = nullptr;
  prometheus::Family<prometheus::Gauge>* files_ = nullptr;
  prometheus::Family<prometheus::Gauge>* bytes_ = nullptr;
  prometheus::Family<prometheus::Gauge>* quarantine_ = nullptr;
  prometheus::Gauge* last_commit_ = nullptr;
  prometheus::Gauge* last_commit_seq_ = nullptr;
  prometheus::Gauge* last_commit_age_ = nullptr;
  prometheus::Gauge* load_errors_ = nullptr;
  prometheus::Family<prometheus::Gauge>* last_run_ = nullptr;  // {status}: 1 for the last run's
  prometheus::Gauge* last_run_finished_ = nullptr;
  std::atomic<int64_t> last_activity_micros_{0};  // the last run's end, else the last commit
};

}  // namespace saleslake::web
