#include "web/dashboard/pipeline_once.h"

#include "base/clock.h"
#include "base/logging.h"
#include "catalog/crawl_step.h"
#include "pipeline/run.h"
#include "pipeline/transform.h"
#include "web/dashboard/lake_services.h"

namespace saleslake::web {

Result<DashboardRunResult> RunDashboardPipeline(const DashboardRunOptions& options) {
  DashboardRunResult result;
  const int64_t start = MonotonicMicros();
  const std::string lake = options.lake_uri;
  if (!options.api_url.empty()) {
    pipeline::RunOptions run;
    run.lake_uri = lake;
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
    SL_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> fs, io::FileSystemFromUri(lake));
    SL_RETURN_IF_ERROR(CrawlLake(fs, lake).status());
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

}  // namespace saleslake::web
