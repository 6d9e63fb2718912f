// Process-wide additions to the structured log (base/logging.h): fields every line carries, and
// the format in use (for child processes started with the same).
#pragma once

#include <string_view>

#include "base/logging.h"

namespace saleslake::log {

// A field every later line of this process carries first (a worker's worker_id and task_id);
// an empty value removes it.
void SetContextField(std::string_view key, std::string_view value);

// The format set by Configure.
Format CurrentFormat();

}  // namespace saleslake::log
