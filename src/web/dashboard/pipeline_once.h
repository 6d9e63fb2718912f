// One pass of the pipeline for the dashboard's "run now" and for `saleslake up`: extract N
// batches from an API (when a source is given), then transform what is pending.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace saleslake::web {

struct PipelineOnceOptions {
  std::string lake_uri;
  std::string api_url;  // "" = no extract: transform pending batches only
  int batches = 1;
};

struct PipelineOnceResult {
  uint64_t batches_extracted = 0;
  uint64_t rows_extracted = 0;
  uint64_t rows_main = 0;
  uint64_t rows_quarantined = 0;
  int64_t duration_micros = 0;
};

Result<PipelineOnceResult> RunPipelineOnce(const PipelineOnceOptions& options);

}  // namespace saleslake::web
