// Where a lake's commit log is stored. The Ledger (ledger.h) owns the log's meaning — replaying
// commits into a LedgerState, publishing pending files, recovery, checkpoints and expiry — and
// keeps the records in a CommitLogStore:
//   - embedded (the default): `_ledger/` in the lake itself, one JSON file per commit; one writer
//     at a time, under the lake lock;
//   - PostgreSQL (`--commit-log postgresql://…`, pg_commit_log.h): the same records in tables,
//     each commit one transaction, so many writers (workers) commit to one lake.
//
// The store is chosen by OpenCommitLogStore from the --commit-log flag (base/storage_flags.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/ledger.h"

namespace saleslake::lake {

// A commit made on behalf of a task (lake/task_queue.h): the commit is accepted only while the
// task is still held under this fencing token, so a worker whose lease was taken over cannot
// publish late.
struct CommitFence {
  int64_t task_id = 0;
  int64_t token = 0;
};

class CommitLogStore {
 public:
  virtual ~CommitLogStore() = default;

  // "embedded (_ledger/ in the lake)" or the redacted PostgreSQL URI.
  virtual std::string Describe() const = 0;
  virtual bool embedded() const = 0;

  // The newest checkpoint, if any.
  virtual Result<std::optional<LedgerState>> ReadCheckpoint() = 0;
  // The sequence numbers of the stored commit records, ascending.
  virtual Result<std::vector<uint64_t>> CommitSeqs() = 0;
  virtual Result<LedgerCommit> ReadCommit(uint64_t seq) = 0;

  // Appends `commit` after `state` and applies it to `state`. The store assigns commit->seq:
  // state->last_seq + 1 for the embedded log (one writer); the PostgreSQL log first catches
  // `state` up with commits others made meanwhile, refuses the commit (Aborted) if one of them
  // conflicts (a file it removes is gone, a batch it consumes was consumed), and checks `fence`.
  // REQUIRES: every added file is staged (the Ledger checks).
  virtual Status Append(LedgerCommit* commit, LedgerState* state, const CommitFence* fence) = 0;

  // Commits whose pending files may not all be published yet (recovery publishes them):
  // the embedded log can only have its last; the PostgreSQL log records which are finished.
  virtual Result<std::vector<uint64_t>> UnfinishedCommits(const LedgerState& state) = 0;
  virtual Status MarkFinished(uint64_t seq) = 0;

  virtual Status WriteCheckpoint(const LedgerState& state) = 0;
  virtual Status DeleteCommits(const std::vector<uint64_t>& seqs) = 0;

  // For moving a log between stores (commit_log_move.h): whether the store holds no commit and
  // no checkpoint; a record stored as it is (its seq kept, marked finished); and emptying a
  // store whose log moved away (so it can receive it back).
  virtual Result<bool> IsEmpty() = 0;
  virtual Status ImportCommit(const LedgerCommit& commit) = 0;
  virtual Status Clear() = 0;
  // Marks the store as moved to `where` (a description) so commands refuse it; "" unmarks.
  virtual Status SetMovedTo(std::string_view where) = 0;
};

// The embedded log of the lake on `fs`. When `allow_moved` is false, a lake whose log was moved
// to PostgreSQL (`saleslake commit-log move`) is refused with the way to reach it.
Result<std::unique_ptr<CommitLogStore>> OpenEmbeddedLog(std::shared_ptr<io::FileSystem> fs,
                                                        bool allow_moved = false);

// The store named by `uri`: "" or "embedded" for the embedded log, postgresql://… for PostgreSQL
// (whose schema must have been created by `saleslake commit-log migrate`).
Result<std::unique_ptr<CommitLogStore>> OpenCommitLogStore(std::shared_ptr<io::FileSystem> fs,
                                                           std::string_view uri);

// The --commit-log the command was given ("" for the embedded default).
std::string CommitLogFlag();

// Replays one commit onto a state (what every store and the Ledger do).
void ApplyCommit(const LedgerCommit& commit, LedgerState* state);

// The path, relative to the lake's root, of the note an embedded log leaves when the log moves
// to PostgreSQL.
std::string MovedNotePath();

}  // namespace saleslake::lake
