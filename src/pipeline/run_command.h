// `saleslake run`: extract → transform (→ the steps above the pipeline, e.g. crawl), once or
// every interval, until SIGTERM/SIGINT (which lets the step under way finish). See run.h.
//
//   saleslake run --api URL [--batches N] [--every 15m] [--lake URI]
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "pipeline/run.h"

namespace saleslake::pipeline {

// A step a higher layer adds after the transform (the crawl): made per lake, skippable with
// --skip NAME.
struct RunStepFactory {
  std::string name;
  std::string help;
  std::function<Result<AfterTransformStep>(const std::string& lake_uri)> make;
};

// argv[0] is "run".
int PipelineRunCommand(int argc, char** argv, const std::vector<RunStepFactory>& steps);

}  // namespace saleslake::pipeline
