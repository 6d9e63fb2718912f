#include "web/dashboard/snapshot_store.h"

#include <chrono>

#include "base/clock.h"
#include "base/logging.h"

namespace saleslake::web {

SnapshotStore::SnapshotStore(std::shared_ptr<io::FileSystem> fs, prometheus::Registry* registry)
    : loader_(std::move(fs)), current_(std::make_shared<LakeSnapshot>()) {
  if (registry == nullptr) return;
  rows_ = &prometheus::BuildGauge()
               .Name("saleslake_lake_rows")
               .Help("Rows in the committed files of each lake table (raw/sales, main/sales, ...)")
               .Register(*registry);
  files_ = &prometheus::BuildGauge()
                .Name("saleslake_lake_files")
                .Help("Committed files of each lake table")
                .Register(*registry);
  bytes_ = &prometheus::BuildGauge()
                .Name("saleslake_lake_bytes")
                .Help("Bytes in the committed files of each lake table")
                .Register(*registry);
  quarantine_ = &prometheus::BuildGauge()
                     .Name("saleslake_quarantine_rows")
                     .Help("Quarantined rows by reason code, over every commit")
                     .Register(*registry);
  auto& commit = prometheus::BuildGauge()
                     .Name("saleslake_last_commit_timestamp_seconds")
                     .Help("When the lake's last commit (extract, transform, ...) was made")
                     .Register(*registry);
  last_commit_ = &commit.Add({});
  last_commit_seq_ = &prometheus::BuildGauge()
                          .Name("saleslake_last_commit_seq")
                          .Help("Sequence number of the lake's last commit")
                          .Register(*registry)
                          .Add({});
  last_commit_age_ = &prometheus::BuildGauge()
                          .Name("saleslake_last_run_age_seconds")
                          .Help("Seconds since the lake's last commit (updated every poll)")
                          .Register(*registry)
                          .Add({});
  load_errors_ = &prometheus::BuildGauge()
                      .Name("saleslake_dashboard_load_failing")
                      .Help("1 while the last attempt to load the lake's state failed")
                      .Register(*registry)
                      .Add({});
}

SnapshotStore::~SnapshotStore() { Stop(); }

std::shared_ptr<const LakeSnapshot> SnapshotStore::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

Status SnapshotStore::Refresh() {
  std::lock_guard<std::mutex> load_lock(load_mu_);
  const int64_t start = MonotonicMicros();
  Result<std::shared_ptr<const LakeSnapshot>> snap = loader_.Load();
  if (!snap.ok()) {
    if (load_errors_) load_errors_->Set(1);
    log::Warn("dashboard.load_failed", {{"status", snap.status()}});
    return snap.status();
  }
  if (load_errors_) load_errors_->Set(0);
  UpdateMetrics(**snap);
  log::Info("dashboard.loaded", {{"commit", static_cast<unsigned long long>((*snap)->last_seq)},
                                 {"daily_rows", static_cast<unsigned long long>((*snap)->rows())},
                                 {"ms", static_cast<double>(MonotonicMicros() - start) / 1000.0}});
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = *snap;
  }
  ready_.store(true);
  return Status::OK();
}

void SnapshotStore::UpdateMetrics(const LakeSnapshot& snap) {
  if (rows_ == nullptr) return;
  for (const TableStats& t : snap.tables) {
    rows_->Add({{"table", t.table}}).Set(static_cast<double>(t.rows));
    files_->Add({{"table", t.table}}).Set(static_cast<double>(t.files));
    bytes_->Add({{"table", t.table}}).Set(static_cast<double>(t.bytes));
  }
  for (const auto& [reason, n] : snap.quarantine_by_reason) {
    quarantine_->Add({{"reason", reason}}).Set(static_cast<double>(n));
  }
  last_commit_->Set(static_cast<double>(snap.last_commit_micros) / 1e6);
  last_commit_seq_->Set(static_cast<double>(snap.last_seq));
}

void SnapshotStore::StartPolling(int64_t interval_micros) {
  if (poller_.joinable()) return;
  poller_ = std::thread([this, interval_micros] { Poll(interval_micros); });
}

void SnapshotStore::Stop() {
  {
    std::lock_guard<std::mutex> lock(poll_mu_);
    stop_ = true;
  }
  poll_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void SnapshotStore::Poll(int64_t interval_micros) {
  std::unique_lock<std::mutex> lock(poll_mu_);
  while (!stop_) {
    poll_cv_.wait_for(lock, std::chrono::microseconds(interval_micros), [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    std::shared_ptr<const LakeSnapshot> snap = Get();
    Result<bool> changed = loader_.HasCommitAfter(snap->last_seq);
    if (!changed.ok() || *changed || !ready()) (void)Refresh();
    snap = Get();
    if (last_commit_age_ != nullptr && snap->last_commit_micros != 0) {
      last_commit_age_->Set(static_cast<double>(NowMicros() - snap->last_commit_micros) / 1e6);
    }
    lock.lock();
  }
}

}  // namespace saleslake::web
