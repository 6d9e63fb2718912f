// The reduce task of a distributed transform: pass 2 for one sale day (transform_tasks.h).
#include <fmt/format.h>

#include <map>

#include "base/clock.h"
#include "base/logging.h"
#include "pipeline/distributed/task_results.h"
#include "pipeline/distributed/transform_tasks.h"
#include "pipeline/lake_schemas.h"
#include "pipeline/transform_passes.h"

namespace saleslake::pipeline::distributed {

Result<TaskOutput> RunReduceTask(const TaskContext& ctx) {
  SL_ASSIGN_OR_RETURN(TransformTaskInput in, TransformTaskInput::Decode(ctx.task.input));
  if (in.day == INT64_MIN) return Status::Corruption("a reduce task's input names no day");
  io::FileSystem& fs = *ctx.lake.fs();
  SL_ASSIGN_OR_RETURN(std::unique_ptr<lake::Ledger> ledger, ctx.lake.OpenLog(/*writer=*/false));
  SL_RETURN_IF_ERROR(CheckBase(ledger->state(), in));
  const lake::LedgerState state = RunState(ledger->state(), in.rebuild, nullptr);
  SL_ASSIGN_OR_RETURN(std::vector<MapResult> maps, MapResultsOf(ctx.queue, ctx.task.run_id));

  // The day's sales from every map, in batch order: the rows pass 2 of the one-process
  // transform takes for the day, in the same order.
  std::vector<BatchInfo> batches(maps.size());
  DayWork w;
  w.day = in.day;
  std::string bytes;
  for (size_t i = 0; i < maps.size(); ++i) {
    const MapResult& m = maps[i];
    batches[i].id = m.batch;
    batches[i].source = m.source;
    batches[i].ingested_at = m.ingested_at;
    batches[i].quarantine_partition = m.quarantine_partition;
    for (const Segment& s : m.days) {
      if (s.key != in.day) continue;
      SL_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> file, fs.OpenForRead(m.file));
      SL_RETURN_IF_ERROR(ReadSegment(*file, s, &bytes));
      SL_RETURN_IF_ERROR(AppendSaleColumns(bytes, &w.rows));
    }
  }
  std::string().swap(bytes);

  const std::string partition = lake::PartitionName(CivilFromDays(in.day));
  std::map<std::string, std::vector<lake::LedgerFile>> main_files, daily_files;
  for (lake::LedgerFile& f : state.FilesOf(kMainSalesTable)) {
    if (f.partition == partition) main_files[f.partition].push_back(std::move(f));
  }
  for (lake::LedgerFile& f : state.FilesOf(kDailySalesTable)) {
    if (f.partition == partition) daily_files[f.partition].push_back(std::move(f));
  }
  // The attempt's token names its files: another attempt of this day never writes them.
  const std::string run_key = fmt::format("{}\nattempt {}", ctx.task.run_id, ctx.task.token);
  const LandingInputs landing{fs, run_key, batches, main_files, daily_files};
  SL_RETURN_IF_ERROR(LandDay(landing, &w));

  ReduceResult r;
  r.day = in.day;
  r.kept = w.kept;
  r.dropped = w.dropped;
  r.added = std::move(w.added);
  r.removed = std::move(w.removed);
  if (!w.conflicts.empty()) {
    r.file = WorkPath(ctx.task.run_id, fmt::format("reduce-{}-{}.bin", in.day, ctx.task.token));
    SL_ASSIGN_OR_RETURN(std::unique_ptr<io::WritableFile> file, fs.OpenForWrite(r.file));
    uint64_t offset = 0;
    for (const auto& [batch, row] : w.conflicts) {
      if (r.conflicts.empty() || r.conflicts.back().key != batch) {
        r.conflicts.push_back({batch, offset, 0, 0});
      }
      SL_RETURN_IF_ERROR(file->Append(row));
      r.conflicts.back().length += row.size();
      ++r.conflicts.back().rows;
      offset += row.size();
    }
    SL_RETURN_IF_ERROR(file->Close());
  }
  log::Info("reduce.done", {{"partition", partition},
                            {"kept", static_cast<unsigned long long>(r.kept)},
                            {"dropped", static_cast<unsigned long long>(r.dropped)},
                            {"conflicts", static_cast<unsigned long long>(w.conflicts.size())}});
  if (ctx.before_publish) ctx.before_publish();
  return TaskOutput{r.ToJson(), {}};
}

}  // namespace saleslake::pipeline::distributed
