#include "pipeline/extract_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/cli.h"
#include "base/clock.h"
#include "base/logging.h"
#include "lake/lake_lock.h"
#include "pipeline/extract.h"
#include "pipeline/run.h"

namespace saleslake::pipeline {
namespace {

struct Flags {
  std::string lake;
  std::string api;
  int batches = 1;
  std::vector<std::string> from;
  std::vector<std::string> stray;  // positional words: a file named without --from
  std::string source;
  std::string now;
  std::string format = "text";
  int http_attempts = 4;
  std::string http_timeout = "10m";
  int threads = 1;
};

void Print(const Flags& flags, const ExtractResult& r) {
  if (flags.format == "json") {
    std::printf("%s\n", ExtractResultToJson(r).c_str());
  } else if (r.already_extracted) {
    std::printf("batch %s already extracted (commit %llu): nothing to do\n", r.batch_id.c_str(),
                static_cast<unsigned long long>(r.commit_seq));
  } else {
    std::printf(
        "extracted batch %s: %llu rows (%llu kept as _raw), %s from %s -> %s (commit %llu)\n",
        r.batch_id.c_str(), static_cast<unsigned long long>(r.rows),
        static_cast<unsigned long long>(r.raw_rows), std::string(FramingName(r.framing)).c_str(),
        r.source.c_str(), r.path.c_str(), static_cast<unsigned long long>(r.commit_seq));
  }
  std::fflush(stdout);
}

// A batch's own failure (a truncated or refused response) is not a usage mistake: exit 1.
Status AsBatchFailure(const Status& st) {
  if (st.code() != StatusCode::kInvalidArgument) return st;
  return Status(StatusCode::kCorruption, st.message());
}

Status Run(const Flags& flags) {
  if (!flags.stray.empty()) {
    return Status::InvalidArgument("unexpected argument '" + flags.stray.front() +
                                   "': name input files with --from (saleslake extract --from " +
                                   flags.stray.front() + " --lake DIR)");
  }
  if (flags.api.empty() == flags.from.empty()) {
    return Status::InvalidArgument("give either --api URL or --from FILE (or --from - for stdin)");
  }
  if (flags.batches < 1) return Status::InvalidArgument("--batches must be at least 1");
  if (!flags.from.empty() && flags.batches != 1) {
    return Status::InvalidArgument("--batches goes with --api; give one --from per file");
  }
  ExtractOptions options;
  options.run_id = NewRunId();
  options.threads = flags.threads;
  if (!flags.now.empty()) {
    Result<int64_t> now = ParseIso8601Micros(flags.now);
    if (!now.ok()) return now.status().WithContext("--now");
    options.now_micros = *now;
  }
  HttpFetchOptions http;
  http.max_attempts = flags.http_attempts;
  if (http.max_attempts < 1) return Status::InvalidArgument("--http-attempts must be at least 1");
  Result<int64_t> timeout = ParseDurationMicros(flags.http_timeout);
  if (!timeout.ok()) return timeout.status().WithContext("--http-timeout");
  http.total_timeout_ms = *timeout / 1000;

  SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs, io::FileSystemFromUri(flags.lake));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::LakeLock> lock,
                      lake::LakeLock::Acquire(fs, "saleslake extract"));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger,
                      lake::Ledger::Open(fs, /*recover=*/true));
  log::Info("extract.start", {{"run_id", options.run_id}, {"lake", fs->root_uri()}});

  const int total = flags.api.empty() ? static_cast<int>(flags.from.size()) : flags.batches;
  for (int i = 0; i < total; ++i) {
    const std::string what = flags.api.empty() ? flags.from[static_cast<size_t>(i)] : flags.api;
    Result<std::unique_ptr<BatchInput>> input =
        !flags.api.empty() ? FetchInput(flags.api, http) : OpenPathInput(what);
    Status st = input.status();
    if (st.ok()) {
      if (!flags.source.empty()) (*input)->set_source(flags.source);
      if (options.now_micros == 0) options.now_micros = NowMicros();  // one clock per run
      Result<ExtractResult> r = ExtractBatch(*fs, *ledger, **input, options);
      if (r.ok()) {
        Print(flags, *r);
        continue;
      }
      st = r.status();
    }
    if (total > 1) st = st.WithContext(fmt::format("batch {} of {}", i + 1, total));
    return AsBatchFailure(st);
  }
  return Status::OK();
}

}  // namespace

int ExtractCommand(int argc, char** argv) {
  CLI::App app(
      "Extract sales records into the lake's raw layer: each API response, file or stdin "
      "becomes one batch, typed into raw/sales/year=/month=/day=/batch-<id>.parquet and "
      "committed exactly once (the same bytes again are a no-op).");
  Flags flags;
  AddLakeFlag(&app, &flags.lake);
  AddThreadsFlag(&app, &flags.threads);
  app.add_option("--api", flags.api,
                 "GET this URL once per batch (the generator API or the seed's)");
  app.add_option("--batches", flags.batches, "with --api: how many responses to extract")
      ->default_val(1);
  app.add_option("--from", flags.from,
                 "read a file (repeat for several batches), or '-' for stdin; any framing: JSON "
                 "array, Lambda envelope, NDJSON");
  app.add_option("stray", flags.stray)->group("");  // refused in Run() with a hint
  app.add_option("--source", flags.source,
                 "label the batch with this source (default: the URL, file:<path> or stdin); part "
                 "of the batch id");
  app.add_option("--now", flags.now,
                 "the run's clock, ISO 8601 UTC (default: now): _ingested_at and the partition "
                 "date; fix it for reproducible files");
  AddFormatFlag(&app, &flags.format, {"text", "json"}, "json: one object per batch");
  app.add_option("--http-attempts", flags.http_attempts,
                 "attempts per request (failures are retried with backoff)")
      ->default_val(4);
  app.add_option("--http-timeout", flags.http_timeout, "limit for one request, e.g. 30s, 10m")
      ->default_val("10m");
  return RunCommand(app, "extract",
                    "saleslake extract --api 'http://127.0.0.1:8080/v1/sales?records=10000' "
                    "--batches 3 --lake ./lake\n"
                    "  saleslake generate --records 1000 --format ndjson | saleslake extract "
                    "--from - --lake ./lake",
                    argc, argv, [&]() { return Run(flags); });
}

}  // namespace saleslake::pipeline
