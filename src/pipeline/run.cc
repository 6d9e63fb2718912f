#include "pipeline/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "base/clock.h"
#include "base/hash.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "lake/lake_lock.h"
#include "lake/ledger.h"
#include "pipeline/batch_input.h"

namespace saleslake::pipeline {
namespace {

bool Stopping(const RunOptions& options) {
  return options.stop != nullptr && options.stop->load(std::memory_order_relaxed);
}

// "20261126T135100.123456Z": sorts as the instant does.
std::string CompactInstant(int64_t micros) {
  std::string iso = FormatIso8601Micros(micros);  // 2026-11-26T13:51:00.123456Z
  std::string out;
  out.reserve(iso.size());
  for (char c : iso) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

Result<std::unique_ptr<BatchInput>> OpenBatch(const RunOptions& options, size_t i) {
  if (!options.api.empty()) return FetchInput(options.api, options.http);
  return OpenPathInput(options.from[i]);
}

// The steps of one run, under the lock. Fills `record`; an error fails the run.
Status RunSteps(const RunOptions& options, const std::shared_ptr<io::FileSystem>& fs,
                RunRecord* record) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::LakeLock> lock, options.lake->Lock("saleslake run"));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, options.lake->OpenLog(/*writer=*/true));

  ExtractOptions extract = options.extract;
  extract.run_id = record->run_id;
  if (extract.now_micros == 0) extract.now_micros = record->started_at_micros;
  const size_t total =
      options.api.empty() ? options.from.size() : static_cast<size_t>(std::max(options.batches, 0));
  const int64_t extract_start = NowMicros();
  for (size_t i = 0; i < total; ++i) {
    if (Stopping(options)) {
      record->status = "interrupted";
      break;
    }
    Result<std::unique_ptr<BatchInput>> input = OpenBatch(options, i);
    Result<ExtractResult> r = input.ok() ? ExtractBatch(*fs, *ledger, **input, extract)
                                         : Result<ExtractResult>(input.status());
    if (!r.ok()) {
      record->extract_micros = NowMicros() - extract_start;
      return total > 1 ? r.status().WithContext(fmt::format("batch {} of {}", i + 1, total))
                       : r.status();
    }
    log::Info("run.batch", {{"run_id", record->run_id},
                            {"batch_id", r->batch_id},
                            {"rows", r->rows},
                            {"bytes", r->bytes_in},
                            {"already_extracted", r->already_extracted},
                            {"ms", static_cast<double>(r->duration_micros) / 1000.0}});
    record->batches.push_back(std::move(*r));
  }
  record->extract_micros = NowMicros() - extract_start;
  // Batches landed before a stop are transformed: the stop ends the run after the step under way,
  // and a landed batch is the pending work of this run.
  if (Stopping(options) && record->batches.empty()) {
    record->status = "interrupted";
    return Status::OK();
  }

  TransformOptions transform = options.transform;
  transform.run_id = record->run_id;
  const int64_t transform_start = NowMicros();
  SL_ASSIGN_OR_RETURN(TransformResult t, options.distributed_transform
                                             ? options.distributed_transform()
                                             : RunTransform(fs, ledger.get(), transform));
  record->transform_micros = NowMicros() - transform_start;
  log::Info("run.transform", {{"run_id", record->run_id},
                              {"committed", t.committed},
                              {"rows_in", t.rows_in},
                              {"rows_main", t.rows_main},
                              {"rows_quarantined", t.rows_quarantined},
                              {"dropped_duplicates", t.dropped_duplicates},
                              {"ms", static_cast<double>(record->transform_micros) / 1000.0}});
  for (const auto& [reason, n] : t.quarantine_by_reason) {
    log::Info("run.quarantine", {{"run_id", record->run_id}, {"reason", reason}, {"rows", n}});
  }
  record->transform = std::move(t);

  for (const AfterTransformStep& step : options.after) {
    if (Stopping(options)) {
      record->status = "interrupted";
      return Status::OK();
    }
    const int64_t start = NowMicros();
    SL_ASSIGN_OR_RETURN(RunStepResult s, step(fs));
    s.duration_micros = NowMicros() - start;
    log::Info("run.step", {{"run_id", record->run_id},
                           {"step", s.name},
                           {"ms", static_cast<double>(s.duration_micros) / 1000.0}});
    record->after.push_back(std::move(s));
  }
  if (Stopping(options)) record->status = "interrupted";
  return Status::OK();
}

}  // namespace

std::string NewRunId() {
  std::random_device rd;
  const uint64_t r = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  return HexEncode(reinterpret_cast<const uint8_t*>(&r), sizeof(r));
}

uint64_t RunRecord::rows_extracted() const {
  uint64_t rows = 0;
  for (const ExtractResult& b : batches) {
    if (!b.already_extracted) rows += b.rows;
  }
  return rows;
}

std::string RunRecord::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("run_id", run_id);
  w.Field("started_at", FormatIso8601Micros(started_at_micros));
  w.Field("finished_at", FormatIso8601Micros(finished_at_micros));
  w.Field("duration_ms", static_cast<double>(finished_at_micros - started_at_micros) / 1000.0);
  w.Field("status", status);
  if (!error.empty()) w.Field("error", error);
  w.Field("rows_extracted", rows_extracted());
  w.Field("extract_ms", static_cast<double>(extract_micros) / 1000.0);
  w.Key("batches");
  w.BeginArray();
  for (const ExtractResult& b : batches) w.Raw(ExtractResultToJson(b));
  w.EndArray();
  if (transform.has_value()) {
    w.Field("transform_ms", static_cast<double>(transform_micros) / 1000.0);
    w.Key("transform");
    w.Raw(transform->ToJson());
  }
  w.Key("after");
  w.BeginArray();
  for (const RunStepResult& s : after) {
    w.BeginObject();
    w.Field("step", s.name);
    w.Field("ms", static_cast<double>(s.duration_micros) / 1000.0);
    w.Key("summary");
    w.Raw(s.summary_json);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

Status WriteRunRecord(io::FileSystem& fs, const RunRecord& record) {
  const std::string path = fmt::format("{}/{}-{}.json", kRunsDir,
                                       CompactInstant(record.started_at_micros), record.run_id);
  return fs.WriteFile(path, record.ToJson() + "\n");
}

Result<std::vector<std::string>> ReadRecentRunRecords(io::FileSystem& fs, size_t limit) {
  SL_ASSIGN_OR_RETURN(std::vector<io::FileInfo> files, fs.List(kRunsDir));
  std::vector<std::string> out;
  for (auto it = files.rbegin(); it != files.rend() && out.size() < limit; ++it) {
    if (!it->path.ends_with(".json")) continue;
    Result<std::string> text = fs.ReadFile(it->path);
    if (!text.ok()) continue;  // removed meanwhile, or unreadable: history is best effort
    while (!text->empty() && text->back() == '\n') text->pop_back();
    out.push_back(std::move(*text));
  }
  return out;
}

Result<RunRecord> RunPipelineOnce(const RunOptions& options) {
  if (options.api.empty() == options.from.empty()) {
    return Status::InvalidArgument("give either --api URL or --from FILE");
  }
  if (!options.api.empty() && options.batches < 1) {
    return Status::InvalidArgument("--batches must be at least 1");
  }
  if (options.lake == nullptr) return Status::InvalidArgument("no lake to run on");
  const std::shared_ptr<io::FileSystem>& fs = options.lake->fs();
  RunRecord record;
  record.run_id = options.extract.run_id.empty() ? NewRunId() : options.extract.run_id;
  record.started_at_micros = NowMicros();
  record.status = "ok";
  log::Info("run.start", {{"run_id", record.run_id}, {"lake", fs->root_uri()}});
  Status st = RunSteps(options, fs, &record);
  record.finished_at_micros = NowMicros();
  if (!st.ok()) {
    record.status = "failed";
    record.error = st.ToString();
  }
  Status written = WriteRunRecord(*fs, record);
  log::Write(
      st.ok() ? log::Level::kInfo : log::Level::kError, "run.done",
      {{"run_id", record.run_id},
       {"status", record.status},
       {"batches", record.batches.size()},
       {"rows_extracted", record.rows_extracted()},
       {"ms", static_cast<double>(record.finished_at_micros - record.started_at_micros) / 1000.0}});
  if (!st.ok()) return st;
  if (!written.ok()) return written.WithContext("writing the run record");
  return record;
}

}  // namespace saleslake::pipeline
