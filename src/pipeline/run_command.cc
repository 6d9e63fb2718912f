#include "pipeline/run_command.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "base/cli.h"
#include "base/clock.h"
#include "base/logging.h"
#include "pipeline/distributed/distributed_transform.h"
#include "pipeline/reference_flags.h"

namespace saleslake::pipeline {
namespace {

std::atomic<bool> g_stop{false};

// The first SIGTERM/SIGINT asks the run to stop after the step under way; a second one ends the
// process at once (the ledger makes that safe too: the next run recovers).
void OnStopSignal(int sig) {
  if (g_stop.exchange(true)) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
}

void InstallStopHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

// Sleeps until `deadline` (wall clock, micros) or a stop signal.
void SleepUntil(int64_t deadline) {
  while (!g_stop.load() && NowMicros() < deadline) {
    const int64_t left = deadline - NowMicros();
    std::this_thread::sleep_for(std::chrono::microseconds(std::clamp<int64_t>(left, 0, 100'000)));
  }
}

void PrintRecord(const RunRecord& r, bool json) {
  if (json) {
    std::printf("%s\n", r.ToJson().c_str());
  } else {
    uint64_t fresh = 0;
    for (const ExtractResult& b : r.batches) fresh += b.already_extracted ? 0 : 1;
    std::string line = fmt::format("run {} {}: {} batch(es) extracted ({} new, {} rows)", r.run_id,
                                   r.status, r.batches.size(), fresh, r.rows_extracted());
    if (r.transform.has_value()) {
      const TransformResult& t = *r.transform;
      if (t.committed) {
        line +=
            fmt::format("; transformed {} rows: {} to main, {} quarantined, {} duplicates dropped",
                        t.rows_in, t.rows_main, t.rows_quarantined, t.dropped_duplicates);
      } else {
        line += "; nothing new to transform";
      }
    }
    for (const RunStepResult& s : r.after) line += fmt::format("; {} done", s.name);
    line += fmt::format(" ({:.1f} s)",
                        static_cast<double>(r.finished_at_micros - r.started_at_micros) / 1e6);
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int PipelineRunCommand(int argc, char** argv, const std::vector<RunStepFactory>& steps) {
  std::string step_names;
  for (const RunStepFactory& f : steps) step_names += (step_names.empty() ? "" : ", ") + f.name;
  CLI::App app(fmt::format(
      "Run the pipeline: extract N API responses (or files) into raw, transform them into main, "
      "quarantine and the aggregate tables{}, once or every interval. Each run writes a run "
      "record under _runs/. SIGTERM or Ctrl-C lets the step under way finish, then exits 0.",
      steps.empty() ? "" : ", then " + step_names));
  std::string lake, api, every, now, offset = "+00:00", format = "text";
  ReferenceFlags reference;
  std::string http_timeout = "10m";
  std::vector<std::string> from, skip;
  int batches = 1, runs = 0, http_attempts = 4;
  AddLakeFlag(&app, &lake);
  app.add_option("--api", api, "GET this URL once per batch (the generator API or the seed's)");
  app.add_option("--from", from, "extract these files instead (one batch each)");
  app.add_option("--batches", batches, "with --api: responses per run")->default_val(1);
  app.add_option("--every", every,
                 "run again at this interval (e.g. 15m, 1h) until stopped; default: run once");
  app.add_option("--runs", runs, "with --every: stop after this many runs (0: never)")
      ->default_val(0);
  app.add_option("--business-utc-offset", offset, "the business day's UTC offset (+05:30)")
      ->default_val("+00:00");
  reference.Add(&app);
  app.add_option("--now", now,
                 "the run's clock, ISO 8601 UTC (default: now): ingestion date and future-"
                 "timestamp checks; fix it for reproducible lakes");
  if (!steps.empty()) {
    app.add_option("--skip", skip, "skip a step after the transform: " + step_names);
  }
  AddFormatFlag(&app, &format, {"text", "json"}, "json: one run record per run");
  int threads = 1;
  AddThreadsFlag(&app, &threads);
  int workers = 0;
  app.add_option("--workers", workers,
                 "transform as tasks done by N local worker processes after the extract (needs "
                 "--commit-log postgresql://…; docs/scale-out.md)")
      ->check(CLI::Range(1, 256));
  app.add_option("--http-attempts", http_attempts, "attempts per request")->default_val(4);
  app.add_option("--http-timeout", http_timeout, "limit for one request, e.g. 30s, 10m")
      ->default_val("10m");
  return RunCommand(
      app, "run",
      "saleslake run --api 'http://127.0.0.1:8080/v1/sales?records=10000' --batches 10 "
      "--lake ./lake\n"
      "  saleslake run --api 'http://127.0.0.1:8080/v1/sales?records=10000&dirty=0.02' "
      "--every 15m --lake s3://bucket/lake",
      argc, argv, [&]() -> Status {
        RunOptions options;
        options.api = api;
        options.from = from;
        options.batches = batches;
        if (api.empty() == from.empty()) {
          return Status::InvalidArgument("give either --api URL or --from FILE");
        }
        if (batches < 1) return Status::InvalidArgument("--batches must be at least 1");
        if (workers > 0) {
          if (std::string why = distributed::WorkersNeedPostgres(); !why.empty()) {
            return Status::InvalidArgument(why);
          }
        }
        if (runs < 0) return Status::InvalidArgument("--runs must be 0 or more");
        if (http_attempts < 1) return Status::InvalidArgument("--http-attempts must be at least 1");
        options.http.max_attempts = http_attempts;
        Result<int64_t> timeout = ParseDurationMicros(http_timeout);
        if (!timeout.ok()) return timeout.status().WithContext("--http-timeout");
        options.http.total_timeout_ms = *timeout / 1000;
        int64_t every_micros = 0;
        if (!every.empty()) {
          Result<int64_t> e = ParseDurationMicros(every);
          if (!e.ok()) return e.status().WithContext("--every");
          if (*e <= 0) return Status::InvalidArgument("--every must be longer than 0");
          every_micros = *e;
        }
        SL_ASSIGN_OR_RETURN(options.transform.business_utc_offset_seconds, ParseUtcOffset(offset));
        options.extract.threads = threads;
        options.transform.threads = threads;
        SL_RETURN_IF_ERROR(
            reference.Resolve(&options.transform.reference, &options.transform.reference_name));
        if (!now.empty()) {
          Result<int64_t> n = ParseIso8601Micros(now);
          if (!n.ok()) return n.status().WithContext("--now");
          options.extract.now_micros = *n;
          options.transform.now_micros = *n;
        }
        // The lake is opened once: every run of --every and every step after the transform use
        // this one handle (its storage, its catalog's place).
        SL_ASSIGN_OR_RETURN(options.lake, saleslake::lake::Lake::Open(lake));
        if (workers > 0) {
          distributed::TransformTaskInput input;
          input.business_utc_offset_seconds = options.transform.business_utc_offset_seconds;
          input.now_micros = options.transform.now_micros;
          reference.Paths(&input.reference_products, &input.reference_stores);
          std::shared_ptr<saleslake::lake::Lake> opened = options.lake;
          options.distributed_transform = [opened, input, workers]() -> Result<TransformResult> {
            distributed::DistributedOptions d;
            d.workers = workers;
            SL_ASSIGN_OR_RETURN(std::string json,
                                distributed::TransformWithWorkersLocked(*opened, input, d));
            return distributed::ParseTransformResult(json);
          };
        }
        for (const std::string& s : skip) {
          if (std::none_of(steps.begin(), steps.end(),
                           [&](const RunStepFactory& f) { return f.name == s; })) {
            return Status::InvalidArgument(
                fmt::format("--skip {}: no such step (steps: {})", s, step_names));
          }
        }
        for (const RunStepFactory& f : steps) {
          if (std::find(skip.begin(), skip.end(), f.name) != skip.end()) continue;
          SL_ASSIGN_OR_RETURN(AfterTransformStep step, f.make(*options.lake));
          options.after.push_back(std::move(step));
        }
        InstallStopHandlers();
        options.stop = &g_stop;
        for (int n = 1;; ++n) {
          const int64_t started = NowMicros();
          Result<RunRecord> r = RunPipelineOnce(options);
          if (!r.ok()) {
            if (every_micros == 0) return r.status();
            // A scheduled run that fails is logged and retried at the next interval: one bad
            // response must not stop the schedule. The run record says what happened.
            PrintCommandError("run", r.status());
          } else {
            PrintRecord(*r, format == "json");
          }
          if (every_micros == 0 || g_stop.load() || (runs > 0 && n >= runs)) break;
          SleepUntil(started + every_micros);
          if (g_stop.load()) break;
        }
        if (g_stop.load()) log::Info("run.stopped", {{"reason", "signal"}});
        return Status::OK();
      });
}

}  // namespace saleslake::pipeline
