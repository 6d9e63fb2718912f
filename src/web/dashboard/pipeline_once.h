// One pipeline run for the dashboard's "run now" and for `saleslake up`: with an API, a
// `saleslake run` (extract N batches -> transform -> crawl, with its run record); without one,
// the transform of pending batches and the crawl.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace saleslake::web {

struct DashboardRunOptions {
  std::string lake_uri;
  std::string api_url;  // "" = no extract: transform pending batches only
  int batches = 1;
};

struct DashboardRunResult {
  std::string run_id;
  uint64_t rows_extracted = 0;
  uint64_t rows_main = 0;
  uint64_t rows_quarantined = 0;
  int64_t duration_micros = 0;
};

Result<DashboardRunResult> RunDashboardPipeline(const DashboardRunOptions& options);

}  // namespace saleslake::web
