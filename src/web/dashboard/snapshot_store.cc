#include "web/dashboard/snapshot_store.h"

#include <simdjson.h>

#include <algorithm>
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
                          .Help(
                              "Seconds since the last run ended, or the last commit when "
                              "there is no run record (updated every poll)")
                          .Register(*registry)
                          .Add({});
  last_run_ = &prometheus::BuildGauge()
                   .Name("saleslake_last_run")
                   .Help(
                       "1 for the status of the newest `saleslake run` record (ok, failed, "
                       "interrupted), 0 for the others")
                   .Register(*registry);
  last_run_finished_ = &prometheus::BuildGauge()
                            .Name("saleslake_last_run_finished_timestamp_seconds")
                            .Help("When the newest `saleslake run` record ended")
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
    log::Warn("dashboard.load_failed", {{"error", snap.status()}});
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
  int64_t activity = snap.last_commit_micros;
  if (!snap.run_records.empty()) {
    simdjson::dom::parser parser;
    simdjson::dom::element rec;
    std::string_view status, finished;
    if (!parser.parse(snap.run_records.front()).get(rec) &&
        !rec["status"].get_string().get(status)) {
      for (const char* s : {"ok", "failed", "interrupted"}) {
        last_run_->Add({{"status", s}}).Set(status == s ? 1 : 0);
      }
      Result<int64_t> at = rec["finished_at"].get_string().get(finished)
                               ? Result<int64_t>(Status::NotFound("finished_at"))
                               : ParseIso8601Micros(finished);
      if (at.ok()) {
        last_run_finished_->Set(static_cast<double>(*at) / 1e6);
        activity = std::max(activity, *at);
      }
    }
  }
  last_activity_micros_.store(activity);
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
  uint64_t ticks = 0;
  while (!stop_) {
    poll_cv_.wait_for(lock, std::chrono::microseconds(interval_micros), [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    std::shared_ptr<const LakeSnapshot> snap = Get();
    Result<bool> changed = loader_.HasCommitAfter(snap->last_seq);
    // Every fifth poll also counts the run records: a failed run may commit nothing.
    if (changed.ok() && !*changed && ++ticks % 5 == 0) {
      Result<size_t> records = loader_.CountRunRecords();
      changed = records.ok() ? Result<bool>(*records != snap->run_record_files) : records.status();
    }
    if (!changed.ok() || *changed || !ready()) (void)Refresh();
    const int64_t activity = last_activity_micros_.load();
    if (last_commit_age_ != nullptr && activity != 0) {
      last_commit_age_->Set(static_cast<double>(NowMicros() - activity) / 1e6);
    }
    lock.lock();
  }
}

}  // namespace saleslake::web
