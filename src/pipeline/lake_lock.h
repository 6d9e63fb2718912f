// LakeLock: at most one writer (extract, transform, compact, vacuum, ...) per lake at a time. A
// second writer is refused at once with "lake ... is locked by pid N on HOST (saleslake CMD) since
// T", never blocked and never allowed to interleave its commits with the first.
//
// How, per storage:
//   file://  flock(2) on _ledger/.lock. The kernel drops the lock when the holder dies, even by
//            kill -9, so a crash never leaves a stale lock. The file holds the owner's
//            description for the error message.
//   mem://   a process-wide table of held lake roots.
//   s3://    a lease object _ledger/_lock.json (owner, token, expiry). S3 has no atomic
//            create-if-absent that every S3 server supports, so two writers starting within
//            the same instant can both believe they won; the lease is re-read after writing to
//            narrow that window, and it expires after kLeaseMicros so a crashed writer's lease
//            does not block the lake forever. Run one scheduler per S3 lake.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "io/file_system.h"

namespace saleslake::pipeline {

class LakeLock {
 public:
  // `purpose` describes the holder for others' error messages ("saleslake transform").
  static Result<std::unique_ptr<LakeLock>> Acquire(std::shared_ptr<io::FileSystem> fs,
                                                   std::string_view purpose);
  virtual ~LakeLock() = default;

  // Lease length for lakes without a kernel lock.
  static constexpr int64_t kLeaseMicros = 15 * 60 * 1'000'000LL;

 protected:
  LakeLock() = default;
};

}  // namespace saleslake::pipeline
