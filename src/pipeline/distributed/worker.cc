#include "pipeline/distributed/worker.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "base/cli.h"
#include "base/log_context.h"
#include "base/strings.h"
#include "lake/commit_log_store.h"
#include "lake/lake.h"
#include "lake/pg_connection.h"
#include "lake/task_queue.h"

namespace saleslake::pipeline::distributed {
namespace {

std::string HostName() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

std::string NewWorkerId() {
  std::random_device rd;
  return fmt::format("{}-{}-{:06x}", HostName(), getpid(), rd() & 0xffffff);
}

// Renews a task's lease from its own connection until stopped; notes when the lease is lost.
class LeaseKeeper {
 public:
  LeaseKeeper(lake::TaskQueue* queue, const lake::ClaimedTask& task, int lease_seconds)
      : queue_(queue), task_(task), lease_seconds_(lease_seconds) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~LeaseKeeper() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool lost() const { return lost_.load(); }

 private:
  void Loop() {
    const auto every = std::chrono::milliseconds(std::max(lease_seconds_ * 1000 / 3, 100));
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, every, [this] { return done_; })) {
      Result<bool> held = queue_->Renew(task_, lease_seconds_);
      if (held.ok() && !*held && !lost_.exchange(true)) {
        log::Warn("task.lease_lost", {{"token", static_cast<long long>(task_.token)}});
      }
    }
  }

  lake::TaskQueue* queue_;
  lake::ClaimedTask task_;
  int lease_seconds_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

Result<TaskOutput> RunTask(const lake::Lake& lake, lake::TaskQueue& queue,
                           const lake::ClaimedTask& task, const WorkerOptions& options) {
  TaskContext ctx{lake, queue, task, options.threads, nullptr};
  if (!options.stop_in.empty() && task.kind == options.stop_in && task.attempts == 1) {
    Result<bool> first = queue.FirstOfKind(task);
    if (first.ok() && *first) {
      ctx.before_publish = [] {
        log::Info("task.stopping", {{"pid", static_cast<long long>(getpid())}});
        raise(SIGSTOP);
      };
    }
  }
  log::Info(
      "task.started",
      {{"kind", task.kind}, {"attempt", task.attempts}, {"pid", static_cast<long long>(getpid())}});
  if (task.kind == "map") return RunMapTask(ctx);
  if (task.kind == "reduce") return RunReduceTask(ctx);
  if (task.kind == "finalize") return RunFinalizeTask(ctx);
  return Status::InvalidArgument("unknown task kind " + task.kind);
}

bool IsFenceRefusal(const Status& st) {
  return st.code() == StatusCode::kAborted &&
         st.message().find("fencing token") != std::string::npos;
}

}  // namespace

Status RunWorker(const WorkerOptions& options, const std::atomic<bool>& stop) {
  const std::string uri = lake::CommitLogFlag();
  if (!lake::IsPostgresUri(uri)) {
    return Status::InvalidArgument(
        "a worker needs the PostgreSQL commit log: --commit-log postgresql://user@host:port/db "
        "(or SALESLAKE_COMMIT_LOG)");
  }
  SL_ASSIGN_OR_RETURN(std::shared_ptr<lake::Lake> lake, lake::Lake::Open(options.lake_uri));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::TaskQueue> queue, lake::TaskQueue::Open(uri));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::TaskQueue> renewals, lake::TaskQueue::Open(uri));
  const std::string id = NewWorkerId();
  log::SetContextField("worker_id", id);
  SL_RETURN_IF_ERROR(queue->RegisterWorker(id, HostName(), getpid()));
  log::Info("worker.started", {{"lake", lake->uri()},
                               {"commit_log", queue->described()},
                               {"pid", static_cast<long long>(getpid())},
                               {"lease_seconds", options.lease_seconds}});
  uint64_t done = 0, refused = 0, failed = 0;
  while (!stop.load()) {
    SL_ASSIGN_OR_RETURN(std::optional<lake::ClaimedTask> task,
                        queue->Claim(id, options.lease_seconds));
    if (!task) {
      if (options.exit_when_idle) {
        SL_ASSIGN_OR_RETURN(lake::QueueStatus q, queue->Overview());
        if (q.tasks_by_state["queued"] == 0 && q.tasks_by_state["running"] == 0) break;
      }
      for (double waited = 0; waited < options.poll_seconds && !stop.load(); waited += 0.05) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      continue;
    }
    log::SetContextField("task_id", std::to_string(task->id));
    log::Info("task.claimed", {{"run_id", task->run_id},
                               {"kind", task->kind},
                               {"attempt", task->attempts},
                               {"token", static_cast<long long>(task->token)},
                               {"pid", static_cast<long long>(getpid())}});
    Result<TaskOutput> output = Status::Internal("the task did not run");
    {
      LeaseKeeper keeper(renewals.get(), *task, options.lease_seconds);
      output = RunTask(*lake, *queue, *task, options);
    }
    Status st =
        output.ok() ? queue->Complete(*task, output->result, output->then) : output.status();
    if (st.ok()) {
      ++done;
      log::Info("task.done", {{"kind", task->kind}});
    } else if (IsFenceRefusal(st)) {
      ++refused;
      log::Warn("task.refused", {{"kind", task->kind}, {"error", st.message()}});
    } else {
      ++failed;
      log::Error("task.failed", {{"kind", task->kind}, {"error", st.message()}});
      SL_RETURN_IF_ERROR(queue->Fail(*task, st.message()));
    }
    log::SetContextField("task_id", "");
  }
  SL_RETURN_IF_ERROR(queue->WorkerStopped(id));
  log::Info("worker.stopped", {{"done", static_cast<unsigned long long>(done)},
                               {"refused", static_cast<unsigned long long>(refused)},
                               {"failed", static_cast<unsigned long long>(failed)}});
  return Status::OK();
}

namespace {
std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop.store(true); }
}  // namespace

int WorkerCommand(int argc, char** argv) {
  CLI::App app(
      "A stateless worker of a lake whose commit log is in PostgreSQL: claims a task, does it, "
      "commits (fenced by the task's lease token), repeats. Run any number, on any machines, "
      "under any supervisor (systemd, Kubernetes). SIGTERM: finishes the task in progress, then "
      "exits. See docs/scale-out.md.");
  WorkerOptions options;
  AddLakeFlag(&app, &options.lake_uri);
  app.add_option("--lease-seconds", options.lease_seconds,
                 "how long a claimed task stays this worker's without a renewal (PostgreSQL's "
                 "clock); renewed every third of it")
      ->default_val(30)
      ->check(CLI::Range(1, 3600));
  // One core per worker by default: scale by running more workers.
  AddThreadsFlag(&app, &options.threads);
  app.get_option("--threads")
      ->description(
          "cores this worker's transform uses (default 1: scale by running more "
          "workers); the output is the same for any number")
      ->default_val(1);
  app.add_option("--poll-seconds", options.poll_seconds, "wait between claims when idle")
      ->default_val(0.5)
      ->check(CLI::Range(0.05, 60.0));
  app.add_flag("--exit-when-idle", options.exit_when_idle,
               "exit once no task is queued or running");
  app.add_option("--stop-in", options.stop_in,
                 "testing: SIGSTOP itself in the first attempt of the run's first task of this "
                 "kind, before recording it")
      ->group("");
  return RunCommand(app, "worker",
                    "SALESLAKE_COMMIT_LOG=postgresql://saleslake@db:5432/lake saleslake worker "
                    "--lake s3://bucket/lake",
                    argc, argv, [&]() -> Status {
                      struct sigaction sa {};
                      sa.sa_handler = OnStopSignal;
                      sigaction(SIGTERM, &sa, nullptr);
                      sigaction(SIGINT, &sa, nullptr);
                      return RunWorker(options, g_stop);
                    });
}

}  // namespace saleslake::pipeline::distributed
