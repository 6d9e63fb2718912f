#include "pipeline/distributed/distributed_transform.h"

#include <fmt/format.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <initializer_list>
#include <thread>
#include <utility>
#include <vector>

#include "base/hash.h"
#include "base/log_context.h"
#include "lake/commit_log_store.h"
#include "lake/lake.h"
#include "lake/pg_connection.h"
#include "lake/task_queue.h"
#include "pipeline/distributed/task_results.h"

namespace saleslake::pipeline::distributed {
namespace {

// A field that may be absent or of another type: *out keeps its value then.
template <typename T>
void ReadIfPresent(simdjson::simdjson_result<simdjson::dom::element> field, T* out) {
  T v;
  if (!field.get(v)) *out = v;
}

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

Result<TransformResult> ParseTransformResult(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(json.data(), json.size()).get_object().get(o)) {
    return Status::Corruption("the transform's result is not a JSON object");
  }
  TransformResult r;
  ReadIfPresent(o["committed"], &r.committed);
  const std::initializer_list<std::pair<const char*, uint64_t*>> counts = {
      {"seq", &r.seq},
      {"rows_in", &r.rows_in},
      {"rows_main", &r.rows_main},
      {"rows_quarantined", &r.rows_quarantined},
      {"dropped_duplicates", &r.dropped_duplicates},
      {"partitions", &r.partitions},
      {"files_added", &r.files_added},
      {"files_removed", &r.files_removed},
      {"files_compacted", &r.files_compacted}};
  for (const auto& [key, field] : counts) ReadIfPresent(o[key], field);
  std::string_view text;
  if (!o["reference"].get_string().get(text)) r.reference = text;
  simdjson::dom::array batches;
  if (!o["batches"].get_array().get(batches)) {
    for (simdjson::dom::element e : batches) {
      if (!e.get_string().get(text)) r.batches.emplace_back(text);
    }
  }
  simdjson::dom::object reasons;
  if (!o["quarantine_by_reason"].get_object().get(reasons)) {
    for (auto field : reasons) {
      uint64_t n = 0;
      if (!field.value.get_uint64().get(n)) r.quarantine_by_reason[std::string(field.key)] = n;
    }
  }
  return r;
}

Result<std::string> TransformWithWorkers(const lake::Lake& opened, const TransformTaskInput& input,
                                         const DistributedOptions& options) {
  if (std::string why = WorkersNeedPostgres(); !why.empty()) {
    return Status::InvalidArgument(why);
  }
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::LakeLock> lock,
                      opened.Lock("saleslake transform --workers"));
  return TransformWithWorkersLocked(opened, input, options);
}

Result<std::string> TransformWithWorkersLocked(const lake::Lake& lake_ref,
                                               const TransformTaskInput& input,
                                               const DistributedOptions& options) {
  if (std::string why = WorkersNeedPostgres(); !why.empty()) {
    return Status::InvalidArgument(why);
  }
  const lake::Lake& opened = lake_ref;
  const std::string uri = lake::CommitLogFlag();
  std::vector<std::string> pending;
  TransformTaskInput run = input;
  {
    SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, opened.OpenLog(/*writer=*/true));
    pending = RunState(ledger->state(), input.rebuild, nullptr).PendingBatches();
    run.base_seq = ledger->state().last_seq;
  }
  if (pending.empty()) return std::string("{\"committed\":false}");
  // The run id names what the run transforms and from which commit: a coordinator restarted
  // after a crash finds the same run (and its finished tasks) unless the lake changed meanwhile.
  std::string joined;
  for (const std::string& b : pending) joined += b + "\n";
  const std::string run_id =
      fmt::format("transform-{}", Sha256Hex(joined + run.Encode()).substr(0, 16));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::TaskQueue> queue, lake::TaskQueue::Open(uri));
  // This process holds the lake lock: any other run still queued or running lost its
  // coordinator, and its late results are refused.
  SL_ASSIGN_OR_RETURN(int64_t abandoned, queue->AbandonOtherRuns(run_id));
  if (abandoned > 0) {
    log::Warn("transform.abandoned_runs", {{"tasks", static_cast<long long>(abandoned)}});
  }
  SL_RETURN_IF_ERROR(queue->Enqueue(run_id, RunTasks(run, pending)));
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
