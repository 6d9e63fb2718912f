// What `saleslake status --commit-log postgresql://…` adds: the workers, their leases, tasks per
// state, retries and refused late commits, from the commit log's task tables.
#pragma once

#include <string>

#include "base/status.h"

namespace saleslake::pipeline::distributed {

// "" when the commit log is the embedded one. The URI shown never has its password.
Result<std::string> CommitLogStatusText();
// A JSON object ("" when embedded).
Result<std::string> CommitLogStatusJson();

}  // namespace saleslake::pipeline::distributed
