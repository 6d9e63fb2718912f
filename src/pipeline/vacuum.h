// Vacuum: removes the lake's orphans — files under raw/, quarantine/ and main/ that no commit
// names: pending files of writes that crashed before their commit, temporaries of interrupted
// uploads, files written there by anything other than saleslake.
//
// Every saleslake writer holds the lake lock, and vacuum takes it too, so no saleslake write is in
// flight while it runs; `min_age` (default 1 hour) still spares young files, in case something
// outside saleslake is writing into the lake. Pending files (`_pending-*.pending`, only saleslake
// writers stage under that name) belong to a run that failed or crashed: they go whatever their
// age. --min-age 0 removes every orphan.
//
//   saleslake vacuum [--lake URI] [--dry-run] [--min-age 1h] [--format json]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"

namespace saleslake::pipeline {

struct VacuumOptions {
  int64_t min_age_micros = 3600LL * 1'000'000;
  bool dry_run = false;
  int64_t now_micros = 0;  // 0 = the wall clock
};

struct VacuumResult {
  std::vector<std::string> removed;  // or, in a dry run, would be removed
  std::vector<std::string> kept;     // orphans younger than min_age
  uint64_t removed_bytes = 0;
};

// REQUIRES: the caller holds the lake lock; `ledger` was opened with recover on `fs`.
Result<VacuumResult> Vacuum(io::FileSystem& fs, const lake::Ledger& ledger,
                            const VacuumOptions& options);

// argv[0] is "vacuum".
int VacuumCommand(int argc, char** argv);

}  // namespace saleslake::pipeline
