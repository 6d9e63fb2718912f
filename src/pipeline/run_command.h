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

using lake::RunStepFactory;  // a step a higher layer adds after the transform (lake/run_steps.h)

// argv[0] is "run".
int PipelineRunCommand(int argc, char** argv, const std::vector<RunStepFactory>& steps);

}  // namespace saleslake::pipeline
