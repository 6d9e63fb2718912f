// The map task of a distributed transform: pass 1 over one raw batch (transform_tasks.h).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/logging.h"
#include "io/path.h"
#include "pipeline/distributed/task_results.h"
#include "pipeline/distributed/transform_tasks.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_passes.h"

namespace saleslake::pipeline::distributed {

Result<TaskOutput> RunMapTask(const TaskContext& ctx) {
  SL_ASSIGN_OR_RETURN(TransformTaskInput in, TransformTaskInput::Decode(ctx.task.input));
  if (in.batch.empty() || in.ordinal < 0) {
    return Status::Corruption("a map task's input names no batch");
  }
  io::FileSystem& fs = *ctx.lake.fs();
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, ctx.lake.OpenLog(/*writer=*/false));
  SL_RETURN_IF_ERROR(CheckBase(ledger->state(), in));
  const std::string name = lake::BatchFileName(in.batch);
  std::optional<lake::LedgerFile> raw;
  for (lake::LedgerFile& f : ledger->state().FilesOf(kRawSalesTable)) {
    if (io::BaseName(f.path) == name) raw = std::move(f);
  }
  if (!raw) {
    return Status::NotFound("raw batch " + in.batch +
                            " is not in the commit log: run 'saleslake status'");
  }
  SL_ASSIGN_OR_RETURN(std::unique_ptr<ResolvedOptions> resolved, ResolveOptions(in, ctx.threads));
  const TransformOptions& options = resolved->options;
  const size_t budget =
      options.spill_budget_bytes / static_cast<size_t>(std::max(1, options.threads));
  SaleSpill sales(budget);
  Spill quarantine(budget / 4);
  BatchInfo batch;
  batch.id = in.batch;
  LandingCounts counts;
  MapResult m;
  SL_RETURN_IF_ERROR(TypeRawBatch(fs, *raw, static_cast<uint32_t>(in.ordinal), options, &batch,
                                  &sales, &quarantine, &m.rows_in, &counts));
  SL_RETURN_IF_ERROR(sales.FinishAdding());
  m.batch = in.batch;
  m.ordinal = in.ordinal;
  m.source = batch.source;
  m.ingested_at = batch.ingested_at;
  m.quarantine_partition = batch.quarantine_partition;
  m.reasons = counts.quarantine_by_reason;

  // One intermediate file per attempt: the days' sales, then the quarantined rows.
  TaskOutput out;
  const std::vector<int64_t> days = sales.Keys();
  const std::vector<int64_t> rejected = quarantine.Keys();
  if (!days.empty() || !rejected.empty()) {
    m.file = WorkPath(ctx.task.run_id, fmt::format("map-{}-{}.bin", in.ordinal, ctx.task.token));
    SL_ASSIGN_OR_RETURN(std::unique_ptr<io::WritableFile> file, fs.OpenForWrite(m.file));
    uint64_t offset = 0;
    for (int64_t day : days) {
      SaleColumns columns;
      SL_RETURN_IF_ERROR(sales.Take(day, &columns));
      SL_ASSIGN_OR_RETURN(std::string bytes, SaleColumnsBytes(columns));
      SL_RETURN_IF_ERROR(file->Append(bytes));
      m.days.push_back({day, offset, bytes.size(), columns.rows()});
      offset += bytes.size();
      TransformTaskInput reduce = in;
      reduce.batch.clear();
      reduce.ordinal = -1;
      reduce.day = day;
      out.then.push_back({1, "reduce", reduce.Encode()});
    }
    for (int64_t key : rejected) {
      SL_ASSIGN_OR_RETURN(std::string bytes, quarantine.Take(key));
      SL_RETURN_IF_ERROR(file->Append(bytes));
      m.quarantine.push_back({0, offset, bytes.size(), counts.rows_quarantined});
      offset += bytes.size();
    }
    SL_RETURN_IF_ERROR(file->Close());
  }
  log::Info("map.done",
            {{"batch", in.batch},
             {"rows_in", static_cast<unsigned long long>(m.rows_in)},
             {"days", static_cast<unsigned long long>(days.size())},
             {"quarantined", static_cast<unsigned long long>(counts.rows_quarantined)}});
  if (ctx.before_publish) ctx.before_publish();
  out.result = m.ToJson();
  return out;
}

}  // namespace saleslake::pipeline::distributed
