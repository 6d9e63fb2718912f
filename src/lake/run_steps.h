// Steps a layer above the pipeline adds to `saleslake run` after the transform (the crawl). They
// are declared here, below both, so that the pipeline runs them and catalog/ provides them
// without either including the other; app/ hands the catalog's steps to the pipeline.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/lake.h"

namespace saleslake::lake {

struct RunStepResult {
  std::string name;  // "crawl", ...
  std::string summary_json = "{}";
  int64_t duration_micros = 0;
};

// Runs under the run's lock, after the transform committed, on the lake's storage.
using AfterTransformStep =
    std::function<Result<RunStepResult>(const std::shared_ptr<io::FileSystem>& fs)>;

// A step made per lake (the one the command opened), skippable with `run --skip NAME`.
struct RunStepFactory {
  std::string name;
  std::string help;
  std::function<Result<AfterTransformStep>(const Lake& lake)> make;
};

}  // namespace saleslake::lake
