// The ledger: the lake's commit log (`_ledger/`), the single source of truth for which data files
// exist. Readers, the crawler and later pipeline stages see only files the ledger names.
//
// Layout:
//   _ledger/00000000000000000001.json    one commit per file, numbered from 1
//   _ledger/_checkpoint.json             the state after some commit (written every 64 commits)
//   _ledger/.lock, _ledger/_lock.json    the writer lock (see lake_lock.h)
//
// Publishing data files, in three steps (DESIGN.md section 4):
//   1. the writer writes each new file under its pending name, PendingPath(final) =
//      "<dir>/_pending-<base>.pending": a leading '_' and no ".parquet" suffix, so DuckDB, Spark,
//      Trino and Athena never read it;
//   2. Commit() writes the commit record (atomic publish): from now on the files exist;
//   3. Commit() moves every pending file to its final name and deletes the files the commit
//      removes.
// A crash during step 3 is finished by the next writer (Recover(), run by Open under the lock):
// only the last commit can be unfinished, because every writer recovers before it commits.
// Between steps 2 and 3 a replaced file and its replacement both exist under final names for
// the time of a few renames; readers that follow the ledger never see both.
//
// The ledger grows with commits (batches, partitions, files), never with rows.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/layout.h"

namespace saleslake::lake {

// The format of commit records and checkpoints. 1: the first; 2: checkpoints record each
// table's version; 3: batch ids may be XXH3 ids ("x…", pipeline/batch_input.h), which a
// saleslake that knows only SHA-256 ids must not extract beside (it would land the same input
// again under another id), so it is refused this lake. A lake is read in any format from
// kOldestLedgerFormat on (never misread: a newer one is refused); the first writer to open an
// older lake migrates it (Ledger::Open), by writing a checkpoint of the current format in one
// atomic write.
inline constexpr uint32_t kLedgerFormat = 3;
inline constexpr uint32_t kOldestLedgerFormat = 1;

struct LedgerFile {
  std::string path;       // final path: "raw/sales/year=2026/month=11/day=26/batch-ab12.parquet"
  std::string table;      // "raw/sales"
  std::string partition;  // "year=2026/month=11/day=26", or "" for an unpartitioned table
  uint64_t rows = 0;
  uint64_t bytes = 0;

  bool operator==(const LedgerFile&) const = default;
};

struct LedgerCommit {
  uint32_t format = kLedgerFormat;  // as read; always written in kLedgerFormat
  uint64_t seq = 0;                 // assigned by Commit()
  std::string kind;                 // "extract", "transform", "compact", "replay", ...
  std::string run_id;
  int64_t committed_at_micros = 0;  // assigned by Commit() from the ledger's clock
  std::vector<LedgerFile> added;
  std::vector<std::string> removed;           // final paths of files this commit replaces or drops
  std::vector<std::string> landed_batches;    // raw batches this commit adds (extract)
  std::vector<std::string> consumed_batches;  // raw batches this commit transforms
  // Facts about the commit as a JSON object text ("{}" when none): sources, counts by reason,
  // durations. Kept verbatim; the ledger does not interpret it.
  std::string details_json = "{}";
};

struct BatchRecord {
  std::string id;
  uint64_t extract_seq = 0;    // the commit that landed it
  uint64_t transform_seq = 0;  // the commit that consumed it; 0 while pending
};

// The lake's state after replaying every commit.
struct LedgerState {
  uint32_t format = kLedgerFormat;  // of the checkpoint it was read from
  uint64_t last_seq = 0;
  // What tells this lake's history from another's: "<run_id>@<committed_at>" of commit 1 (kept
  // in checkpoints from format 2, so it outlives the expiry of commit 1).
  std::string origin;
  // A table's version: the last commit that added or removed one of its files.
  std::map<std::string, uint64_t> table_versions;
  std::map<std::string, LedgerFile> files;     // live files by final path
  std::map<std::string, BatchRecord> batches;  // raw batches by id

  // Live files of one table ("main/sales"), sorted by path.
  std::vector<LedgerFile> FilesOf(std::string_view table) const;
  // Raw batches not yet transformed, in the order they were extracted.
  std::vector<std::string> PendingBatches() const;
};

class CommitLogStore;
struct CommitFence;

class Ledger {
 public:
  // Reads the ledger of the lake on `fs` (an empty lake has an empty ledger) from the commit log
  // the command was given (--commit-log: embedded by default, or PostgreSQL;
  // commit_log_store.h). When `recover` is set (writers, under the lake lock), unfinished
  // commits are completed first. A writer's open (`recover`) also migrates a lake written in an
  // older format.
  static Result<std::unique_ptr<Ledger>> Open(std::shared_ptr<io::FileSystem> fs, bool recover);
  // The same over a given store.
  static Result<std::unique_ptr<Ledger>> Open(std::shared_ptr<io::FileSystem> fs,
                                              std::unique_ptr<CommitLogStore> store, bool recover);
  ~Ledger();

  // Where the records are kept.
  CommitLogStore& store() const { return *store_; }

  const LedgerState& state() const { return state_; }
  // The format of the newest record read: kLedgerFormat for an empty lake or a current one.
  uint32_t format() const { return format_; }
  // How many commit records the last open read (a checkpoint bounds it, whatever the log's
  // length: at most kCheckpointEvery).
  uint64_t commits_read_on_open() const { return commits_read_; }
  // The oldest commit record still stored (1 unless old snapshots expired); last_seq + 1 when
  // none is. History (ReadCommit) exists from here to state().last_seq.
  uint64_t first_seq() const { return first_seq_; }

  // Writes a checkpoint of the current state in kLedgerFormat, in one atomic write (what a
  // migration does). REQUIRES: the lake lock.
  Status WriteCheckpoint();

  // Deletes the commit records, at or before the checkpoint (writing one at the last commit
  // first), committed before `before_micros`: old snapshots expire, and the log opens the same.
  // The newest commit is always kept. Returns how many records were deleted. REQUIRES: the lock.
  Result<uint64_t> ExpireSnapshots(int64_t before_micros);

  static constexpr uint64_t kCheckpointEvery = 64;

  // Writes the commit record, then publishes its pending files and deletes what it removes.
  // REQUIRES: the caller holds the lake lock; every added file was written to PendingPath(path).
  // On success `commit->seq` and `committed_at_micros` are set and state() includes it.
  // With a `fence` (a task's commit, PostgreSQL only) the commit is refused (Aborted) unless the
  // task is still held under that token.
  Status Commit(LedgerCommit* commit, const CommitFence* fence = nullptr);
  // A commit a task makes: every Commit() of this ledger carries `fence` from now on.
  void SetFence(const CommitFence* fence) { fence_ = fence; }

  // Reads one commit record (for `status` and history).
  Result<LedgerCommit> ReadCommit(uint64_t seq) const;
  // The last `n` commits, newest first.
  Result<std::vector<LedgerCommit>> RecentCommits(size_t n) const;

  // Files under the data layers (raw/, quarantine/, main/) that no commit names: pending files of
  // unfinished writes, temporaries of interrupted uploads, and data files written by anyone else.
  // Paths, sorted.
  Result<std::vector<std::string>> FindOrphans() const;

  // For tests: the clock used for committed_at (default NowMicros).
  void SetClockForTesting(int64_t (*now_micros)()) { now_ = now_micros; }

 private:
  Ledger(std::shared_ptr<io::FileSystem> fs, std::unique_ptr<CommitLogStore> store);
  Status Load();
  Status Finish(const LedgerCommit& commit);

  std::shared_ptr<io::FileSystem> fs_;
  std::unique_ptr<CommitLogStore> store_;
  const CommitFence* fence_ = nullptr;
  LedgerState state_;
  uint32_t format_ = kLedgerFormat;
  uint64_t commits_read_ = 0;
  uint64_t first_seq_ = 1;
  uint64_t checkpoint_seq_ = 0;
  int64_t (*now_)() = nullptr;
};

// Serialisation of commit records and checkpoints (exposed for tests and tools).
std::string CommitToJson(const LedgerCommit& commit);
Result<LedgerCommit> CommitFromJson(std::string_view json, std::string_view where);

}  // namespace saleslake::lake
