// The finalize task of a distributed transform: the quarantine, the rollups and the one commit of
// the run (transform_tasks.h).
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>

#include "base/json_writer.h"
#include "base/logging.h"
#include "lake/commit_log_store.h"
#include "pipeline/compact.h"
#include "pipeline/distributed/task_results.h"
#include "pipeline/distributed/transform_tasks.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_io.h"
#include "pipeline/transform_passes.h"

namespace saleslake::pipeline::distributed {
namespace {

// A field that may be absent or of another type: *out keeps its value then.
template <typename T>
void ReadIfPresent(simdjson::simdjson_result<simdjson::dom::element> field, T* out) {
  T v;
  if (!field.get(v)) *out = v;
}

// The result of a run an earlier attempt of this task committed (it died before recording it
// done), from its commit; nullopt when the run has no commit since it started.
Result<std::optional<TransformResult>> CommittedBefore(const lake::Ledger& ledger,
                                                       const TransformTaskInput& in,
                                                       std::string_view run_id) {
  for (uint64_t seq = in.base_seq + 1; seq <= ledger.state().last_seq; ++seq) {
    SL_ASSIGN_OR_RETURN(lake::LedgerCommit c, ledger.ReadCommit(seq));
    if (c.run_id != run_id || c.consumed_batches.empty()) continue;
    TransformResult r;
    r.committed = true;
    r.seq = c.seq;
    r.batches = c.consumed_batches;
    r.files_added = c.added.size();
    r.files_removed = c.removed.size();
    simdjson::dom::parser parser;
    simdjson::dom::object o;
    if (!parser.parse(c.details_json).get_object().get(o)) {
      ReadIfPresent(o["rows_in"], &r.rows_in);
      ReadIfPresent(o["rows_main"], &r.rows_main);
      ReadIfPresent(o["rows_quarantined"], &r.rows_quarantined);
      ReadIfPresent(o["dropped_duplicates"], &r.dropped_duplicates);
      ReadIfPresent(o["partitions"], &r.partitions);
      std::string_view reference;
      if (!o["reference"].get_string().get(reference)) r.reference = reference;
      simdjson::dom::object reasons;
      if (!o["quarantine_by_reason"].get_object().get(reasons)) {
        for (auto field : reasons) {
          uint64_t n = 0;
          if (!field.value.get_uint64().get(n)) r.quarantine_by_reason[std::string(field.key)] = n;
        }
      }
    }
    return std::optional<TransformResult>(std::move(r));
  }
  return std::optional<TransformResult>();
}

// Reads a segment of an intermediate file into the quarantine bucket of `key`.
Status AddQuarantine(io::FileSystem& fs, const std::string& path, const Segment& s,
                     Spill* quarantine) {
  SL_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> file, fs.OpenForRead(path));
  std::string bytes;
  SL_RETURN_IF_ERROR(ReadSegment(*file, s, &bytes));
  quarantine->Buffer(s.key)->append(bytes);
  return quarantine->Appended(bytes.size());
}

}  // namespace

Result<TaskOutput> RunFinalizeTask(const TaskContext& ctx) {
  SL_ASSIGN_OR_RETURN(TransformTaskInput in, TransformTaskInput::Decode(ctx.task.input));
  const std::string& run_id = ctx.task.run_id;
  const std::shared_ptr<io::FileSystem>& fs = ctx.lake.fs();
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, ctx.lake.OpenLog(/*writer=*/false));
  SL_ASSIGN_OR_RETURN(std::optional<TransformResult> before, CommittedBefore(*ledger, in, run_id));
  if (before) return TaskOutput{before->ToJson(), {}};
  SL_RETURN_IF_ERROR(CheckBase(ledger->state(), in));
  SL_ASSIGN_OR_RETURN(std::unique_ptr<ResolvedOptions> resolved, ResolveOptions(in, ctx.threads));
  const TransformOptions& options = resolved->options;
  std::vector<std::string> derived;
  const lake::LedgerState state = RunState(ledger->state(), in.rebuild, &derived);
  SL_ASSIGN_OR_RETURN(std::vector<MapResult> maps, MapResultsOf(ctx.queue, run_id));
  SL_ASSIGN_OR_RETURN(std::vector<std::string> reduce_json, ctx.queue.PhaseResults(run_id, 1));
  std::vector<ReduceResult> reduces;
  for (const std::string& json : reduce_json) {
    SL_ASSIGN_OR_RETURN(ReduceResult r, ReduceResult::Parse(json));
    reduces.push_back(std::move(r));
  }
  std::sort(reduces.begin(), reduces.end(),
            [](const ReduceResult& a, const ReduceResult& b) { return a.day < b.day; });

  TransformResult result;
  result.reference = options.reference == nullptr ? "none" : options.reference_name;
  LandingCounts counts;
  Spill quarantine(options.spill_budget_bytes / 4);
  std::vector<BatchInfo> batches(maps.size());
  for (size_t i = 0; i < maps.size(); ++i) {
    const MapResult& m = maps[i];
    result.batches.push_back(m.batch);
    result.rows_in += m.rows_in;
    batches[i] = BatchInfo{m.batch, m.source, m.ingested_at, m.quarantine_partition};
    for (const auto& [reason, n] : m.reasons) counts.quarantine_by_reason[reason] += n;
    for (Segment s : m.quarantine) {
      counts.rows_quarantined += s.rows;
      s.key = static_cast<int64_t>(i);
      SL_RETURN_IF_ERROR(AddQuarantine(*fs, m.file, s, &quarantine));
    }
  }
  if (result.batches.empty() && derived.empty()) return TaskOutput{result.ToJson(), {}};

  lake::LedgerCommit commit;
  commit.kind = in.rebuild ? "rebuild" : "transform";
  commit.run_id = run_id;
  commit.removed = derived;
  commit.consumed_batches = result.batches;
  // The days in order, as pass 2 of the one-process transform adds them.
  AggregateTables aggregates;
  std::set<std::string> rewritten_daily;
  std::vector<DailyRow> daily;
  for (const ReduceResult& r : reduces) {
    counts.dropped_duplicates += r.dropped;
    for (Segment s : r.conflicts) {
      s.key += kConflictKeys;  // a batch's conflicts are kept apart from its rejected records
      SL_RETURN_IF_ERROR(AddQuarantine(*fs, r.file, s, &quarantine));
      for (uint64_t i = 0; i < s.rows; ++i) counts.CountQuarantined(table::kDuplicateConflict);
    }
    if (r.kept == 0) continue;
    counts.rows_main += r.kept;
    ++counts.partitions;
    for (const lake::LedgerFile& f : r.added) {
      if (f.table != kDailySalesTable) continue;
      daily.clear();
      SL_RETURN_IF_ERROR(ReadDailyRows(*fs, lake::PendingPath(f.path), &daily));
      for (const DailyRow& d : daily) aggregates.Add(d);
      rewritten_daily.insert(f.partition);
    }
    commit.added.insert(commit.added.end(), r.added.begin(), r.added.end());
    commit.removed.insert(commit.removed.end(), r.removed.begin(), r.removed.end());
  }
  // The untouched days still count in the aggregates over all of main.
  for (const lake::LedgerFile& f : state.FilesOf(kDailySalesTable)) {
    if (rewritten_daily.count(f.partition)) continue;
    daily.clear();
    SL_RETURN_IF_ERROR(ReadDailyRows(*fs, f.path, &daily));
    for (const DailyRow& d : daily) aggregates.Add(d);
  }
  // This attempt's own files (the six tables, the quarantine), named with its token.
  const size_t own_from = commit.added.size();
  const std::string run_key = fmt::format("{}\nattempt {}", run_id, ctx.task.token);
  Status written = aggregates.Write(*fs, state, run_key, &commit);
  if (written.ok()) {
    written = WriteQuarantineFiles(*fs, batches, &quarantine, fmt::format("t{}", ctx.task.token),
                                   &commit);
  }
  if (!written.ok()) {
    lake::LedgerCommit mine;
    mine.added.assign(commit.added.begin() + static_cast<ptrdiff_t>(own_from), commit.added.end());
    return DiscardStaged(*fs, /*ledger=*/nullptr, mine, written);
  }
  CountsIntoResult(counts, commit, &result);
  commit.details_json = TransformDetailsJson(result, options);

  if (ctx.before_publish) ctx.before_publish();
  // The one commit of the run, accepted only while this attempt holds the task. A refused
  // attempt's files stay unnamed until vacuum removes them.
  const lake::CommitFence fence = ctx.task.fence();
  ledger->SetFence(&fence);
  if (Status st = ledger->Commit(&commit); !st.ok()) {
    // The attempt that took the task over may have published the reduces' files already: the
    // commit then fails on them before its fence is consulted. A task no longer held is refused.
    Result<bool> held = ctx.queue.Holds(ctx.task);
    if (held.ok() && !*held && st.message().find("fencing token") == std::string::npos) {
      return ctx.queue.Refuse(ctx.task);
    }
    return st;
  }
  result.committed = true;
  result.seq = commit.seq;

  TieredCompactOptions tiered;
  tiered.threads = options.threads;
  for (const lake::LedgerFile& f : commit.added) {
    if (f.table == kMainSalesTable) tiered.partitions.push_back(f.partition);
  }
  Result<CompactResult> compacted = RunTieredCompact(fs, ledger.get(), tiered);
  if (compacted.ok()) {
    result.files_compacted = compacted->files_removed;
  } else {
    log::Warn("transform.compact_failed", {{"error", compacted.status().ToString()}});
  }
  // The run's intermediate files are named by no commit: they go now (vacuum would otherwise).
  Result<std::vector<io::FileInfo>> work = fs->List(fmt::format("{}/{}", lake::kWorkDir, run_id));
  if (work.ok()) {
    std::vector<std::string> paths;
    for (const io::FileInfo& f : *work) paths.push_back(f.path);
    if (Status st = fs->DeleteMany(paths); !st.ok()) {
      log::Warn("transform.work_cleanup_failed", {{"error", st.ToString()}});
    }
  }
  log::Info("transform.committed",
            {{"run_id", run_id},
             {"commit", static_cast<unsigned long long>(commit.seq)},
             {"rows_in", static_cast<unsigned long long>(result.rows_in)},
             {"rows_main", static_cast<unsigned long long>(result.rows_main)},
             {"rows_quarantined", static_cast<unsigned long long>(result.rows_quarantined)},
             {"files_compacted", static_cast<unsigned long long>(result.files_compacted)},
             {"reference", result.reference}});
  return TaskOutput{result.ToJson(), {}};
}

}  // namespace saleslake::pipeline::distributed
