// Moving a lake's commit log between the embedded store and PostgreSQL (either way), under the
// lake lock. The log lives in exactly one place at a time:
//   1. the source is opened as a writer (unfinished commits are finished first);
//   2. every stored commit record and a checkpoint of the current state are written to the
//      destination, which must be empty (a store the log moved away from is);
//   3. the source is marked as moved (the embedded log: `_ledger/_moved.json` naming the
//      redacted URI; PostgreSQL: log_meta.moved_to) and emptied, so a command that still points
//      at it is refused with the way to the new place;
//   4. the destination's own mark, if it had one, is removed.
// A crash before 3 leaves the source in use and a destination that a second move refuses as
// not empty (empty it by hand, or move to another schema); after 3 the destination holds the
// whole log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "lake/lake.h"

namespace saleslake::lake {

struct MoveResult {
  std::string from;  // descriptions (passwords never included)
  std::string to;
  uint64_t commits = 0;  // commit records copied
  uint64_t last_seq = 0;
  uint64_t files = 0;  // live files in the state moved
};

// `from` and `to` are commit-log URIs ("" or "embedded" for the lake's own).
Result<MoveResult> MoveCommitLog(const Lake& lake, std::string_view from, std::string_view to);

// argv[0] is "commit-log": `saleslake commit-log migrate|move`.
int CommitLogCommand(int argc, char** argv);

}  // namespace saleslake::lake
