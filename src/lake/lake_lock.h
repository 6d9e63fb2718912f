// LakeLock: at most one writer (extract, transform, compact, vacuum, ...) per lake at a time. A
// second writer is refused at once with "lake ... is locked by pid N on HOST (saleslake CMD) since
// T", never blocked and never allowed to interleave its commits with the first.
//
// How, per storage:
//   file://  flock(2) on _ledger/.lock. The kernel drops the lock when the holder dies, even by
//            kill -9, so a crash never leaves a stale lock. The file holds the owner's
//            description for the error message.
//   mem://   a process-wide table of held lake roots.
//   s3://    a lease object _ledger/_lock.json (JSON: token, expiry, and who holds it: pid,
//            host, boot id, the process's start time). S3 has no atomic create-if-absent that
//            every S3 server supports, so two writers starting within the same instant can both
//            believe they won; the lease is re-read after writing to narrow that window. Run one
//            scheduler per S3 lake. A lease is taken over at once when its holder is provably
//            dead: the same host and boot (hostname and /proc/sys/kernel/random/boot_id), and
//            that pid not alive, or alive but started at another time (a reused pid). Otherwise
//            the refusal says when the lease expires (kLeaseMicros after it was taken) and how
//            to break it by hand: `saleslake unlock --lake ... --force`, recorded in the ledger.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "io/file_system.h"

namespace saleslake::lake {

class LakeLock {
 public:
  // `purpose` describes the holder for others' error messages ("saleslake transform").
  static Result<std::unique_ptr<LakeLock>> Acquire(std::shared_ptr<io::FileSystem> fs,
                                                   std::string_view purpose);
  virtual ~LakeLock() = default;

  // Lease length for lakes without a kernel lock.
  static constexpr int64_t kLeaseMicros = 15 * 60 * 1'000'000LL;

  // Whether acquiring the lock took over a lease whose holder was provably dead (its
  // description, "" when not).
  const std::string& took_over_from() const { return took_over_from_; }

 protected:
  LakeLock() = default;
  std::string took_over_from_;
};

// The lease of a lake without a kernel lock, as read from _ledger/_lock.json.
struct LeaseHolder {
  std::string token;
  int64_t expires_micros = 0;
  int64_t pid = 0;
  std::string host;
  std::string boot_id;
  std::string start_time;  // the holder's start time in clock ticks since boot (/proc/PID/stat)
  std::string purpose;     // "saleslake extract"
  std::string since;       // ISO 8601
  // "pid 123 on host (saleslake extract) since 2026-11-26T10:00:00.000Z"
  std::string Describe() const;
};

// The path of the lease object, relative to the lake's root.
std::string LeasePath();
// Parses a lease (the JSON form, or the older "<token> <expires> <holder>" line).
LeaseHolder ParseLease(std::string_view text);
// Whether the lease's holder is provably dead: it ran on this host in this boot and its pid is
// gone or now names a process started at another time. False whenever that cannot be known.
bool HolderIsDeadHere(const LeaseHolder& holder);

// What `saleslake unlock` does, as a library call. A lake with a kernel lock (file://) or a
// process-local one (mem://) cannot hold a stale lock: "not locked", or Aborted
// naming the live holder. On a lease: without `force`, Aborted describing the holder and its
// expiry; with it, the lease is deleted, the lock taken, a commit of kind "unlock" naming the
// broken holder written to the ledger, and the lock released. The text says what happened.
Result<std::string> UnlockLake(std::shared_ptr<io::FileSystem> fs, bool force);

// argv[0] is "unlock".
int UnlockCommand(int argc, char** argv);

}  // namespace saleslake::lake
