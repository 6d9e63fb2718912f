#include "dashboard_pipeline.h"

#include "base/clock.h"
#include "base/logging.h"
#include "catalog/crawl_step.h"
#include "pipeline/quarantine.h"
#include "pipeline/rollups.h"
#include "pipeline/run.h"
#include "pipeline/status_command.h"
#include "pipeline/transform.h"
#include "web/dashboard/lake_services.h"
#include "web/dashboard/pipeline_port.h"

namespace saleslake {
namespace {

using web::DashboardRunOptions;
using web::DashboardRunResult;

Result<DashboardRunResult> RunOnce(const DashboardRunOptions& options) {
  DashboardRunResult result;
  const int64_t start = MonotonicMicros();
  if (options.lake == nullptr) return Status::InvalidArgument("no lake to run on");
  const lake::Lake& lake = *options.lake;
  if (!options.api_url.empty()) {
    pipeline::RunOptions run;
    run.lake = options.lake;
    run.api = options.api_url;
    run.batches = options.batches;
    SL_ASSIGN_OR_RETURN(pipeline::AfterTransformStep crawl, catalog::CrawlRunStep().make(lake));
    run.after.push_back(std::move(crawl));
    SL_ASSIGN_OR_RETURN(pipeline::RunRecord record, pipeline::RunPipelineOnce(run));
    result.run_id = record.run_id;
    result.rows_extracted = record.rows_extracted();
    if (record.transform) {
      result.rows_main = record.transform->rows_main;
      result.rows_quarantined = record.transform->rows_quarantined;
    }
  } else {
    pipeline::TransformOptions transform;
    transform.run_id = pipeline::NewRunId();
    result.run_id = transform.run_id;
    SL_ASSIGN_OR_RETURN(pipeline::TransformResult t, pipeline::TransformLake(lake, transform));
    result.rows_main = t.rows_main;
    result.rows_quarantined = t.rows_quarantined;
    SL_RETURN_IF_ERROR(web::CrawlLake(lake).status());
  }
  result.duration_micros = MonotonicMicros() - start;
  log::Info("dashboard.run",
            {{"run_id", result.run_id},
             {"rows_extracted", static_cast<unsigned long long>(result.rows_extracted)},
             {"rows_main", static_cast<unsigned long long>(result.rows_main)},
             {"rows_quarantined", static_cast<unsigned long long>(result.rows_quarantined)},
             {"ms", static_cast<double>(result.duration_micros) / 1000.0}});
  return result;
}

}  // namespace

void InstallDashboardPipeline() {
  web::PipelinePort port;
  port.run = RunOnce;
  port.quarantine_samples = [](io::FileSystem& fs, const lake::LedgerState& state,
                               const std::string& reason,
                               uint64_t limit) -> Result<std::vector<web::QuarantineSample>> {
    SL_ASSIGN_OR_RETURN(std::vector<pipeline::QuarantinedRecord> records,
                        pipeline::ListQuarantine(fs, state, reason, limit));
    std::vector<web::QuarantineSample> out;
    out.reserve(records.size());
    for (pipeline::QuarantinedRecord& r : records) {
      out.push_back({std::move(r.reason), std::move(r.detail), std::move(r.batch_id),
                     std::move(r.raw), r.record_index});
    }
    return out;
  };
  port.read_daily_rows = [](io::FileSystem& fs, const std::string& path,
                            std::vector<web::DailySalesRow>* rows) -> Status {
    std::vector<pipeline::DailyRow> read;
    SL_RETURN_IF_ERROR(pipeline::ReadDailyRows(fs, path, &read));
    rows->reserve(rows->size() + read.size());
    for (pipeline::DailyRow& r : read) {
      rows->push_back({r.date, std::move(r.store_id), std::move(r.store_name),
                       std::move(r.store_location), std::move(r.product_id),
                       std::move(r.product_name), std::move(r.category), std::move(r.brand),
                       r.orders, r.units, r.sales, r.cost, r.gross_profit});
    }
    return Status::OK();
  };
  port.recent_run_records = [](io::FileSystem& fs, size_t limit) {
    return pipeline::ReadRecentRunRecords(fs, limit);
  };
  port.add_quarantine_counts = [](std::string_view details,
                                  std::map<std::string, int64_t>* counts) {
    pipeline::AddQuarantineCounts(details, counts);
  };
  web::InstallPipelinePort(std::move(port));
}

}  // namespace saleslake
