#include "pipeline/distributed/distributed_transform.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "base/hash.h"
#include "base/log_context.h"
#include "lake/commit_log_store.h"
#include "lake/lake.h"
#include "lake/pg_connection.h"
#include "lake/task_queue.h"

namespace saleslake::pipeline::distributed {
namespace {

std::string SelfExe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "saleslake";
  return std::string(buf, static_cast<size_t>(n));
}

pid_t StartWorker(const std::string& exe, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

std::string WorkersNeedPostgres() {
  if (lake::IsPostgresUri(lake::CommitLogFlag())) return "";
  return "--workers needs the PostgreSQL commit log (--commit-log postgresql://user@host:port/db, "
         "see docs/scale-out.md); to use more cores in this process, use --threads";
}

Result<std::string> TransformWithWorkers(const lake::Lake& opened, const TransformTaskInput& input,
                                         const DistributedOptions& options) {
  if (std::string why = WorkersNeedPostgres(); !why.empty()) {
    return Status::InvalidArgument(why);
  }
  const std::string uri = lake::CommitLogFlag();
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::LakeLock> lock,
                      opened.Lock("saleslake transform --workers"));
  std::vector<std::string> pending;
  {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, opened.OpenLog(/*writer=*/true));
    pending = ledger->state().PendingBatches();
  }
  if (pending.empty() && !input.rebuild) return std::string("{\"committed\":false}");
  std::string joined;
  for (const std::string& b : pending) joined += b + "\n";
  const std::string run_id =
      fmt::format("transform-{}", Sha256Hex(joined + input.Encode()).substr(0, 16));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::TaskQueue> queue, lake::TaskQueue::Open(uri));
  SL_RETURN_IF_ERROR(queue->Enqueue(run_id, {{0, "transform", input.Encode()}}));
  log::Info("transform.enqueued", {{"run_id", run_id},
                                   {"batches", static_cast<unsigned long long>(pending.size())},
                                   {"workers", options.workers},
                                   {"commit_log", queue->described()}});
  const std::string exe = SelfExe();
  std::vector<std::string> args = {"worker", "--lake", opened.uri(), "--exit-when-idle"};
  if (options.lease_seconds > 0) {
    args.push_back("--lease-seconds");
    args.push_back(std::to_string(options.lease_seconds));
  }
  args.push_back("--log-format");
  args.push_back(log::CurrentFormat() == log::Format::kJson ? "json" : "text");
  args.insert(args.end(), options.worker_args.begin(), options.worker_args.end());
  // The URI (and any password in it) goes to the workers through their environment.
  setenv("SALESLAKE_COMMIT_LOG", uri.c_str(), 1);
  std::vector<pid_t> children;
  for (int i = 0; i < options.workers; ++i) {
    pid_t pid = StartWorker(exe, args);
    if (pid < 0) return Status::IOError("cannot start a worker process (fork failed)");
    children.push_back(pid);
  }
  Status outcome;
  size_t alive = children.size();
  std::vector<bool> exited(children.size(), false);
  for (;;) {
    SL_ASSIGN_OR_RETURN(auto progress, queue->RunProgress(run_id));
    if (progress["queued"] == 0 && progress["running"] == 0) break;
    for (size_t i = 0; i < children.size(); ++i) {
      if (exited[i]) continue;
      int wstatus = 0;
      if (waitpid(children[i], &wstatus, WNOHANG) == children[i]) {
        exited[i] = true;
        --alive;
      }
    }
    if (alive == 0) {
      outcome = Status::Aborted(fmt::format(
          "every worker exited with tasks of run {} left: start 'saleslake worker' (or run "
          "the transform again)",
          run_id));
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (size_t i = 0; i < children.size(); ++i) {
    if (!exited[i]) waitpid(children[i], nullptr, 0);
  }
  SL_RETURN_IF_ERROR(outcome);
  SL_ASSIGN_OR_RETURN(std::string failure, queue->RunFailure(run_id));
  if (!failure.empty()) return Status::Aborted(failure + " (see the workers' logs)");
  SL_ASSIGN_OR_RETURN(std::string result, queue->RunResult(run_id));
  // The lock holder finishes what the workers committed (publishing is idempotent).
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, opened.OpenLog(/*writer=*/true));
  return result.empty() ? std::string("{\"committed\":false}") : result;
}

}  // namespace saleslake::pipeline::distributed
