// The commit log in PostgreSQL (--commit-log postgresql://…): the records the embedded log keeps
// in `_ledger/` (commit_log_store.h), kept in tables of one schema, plus the task queue of the
// workers (task_queue.h). Modelled on DuckLake's and Iceberg's JDBC catalogs: the data files stay
// Parquet on the lake's storage, the catalog's transactions give commits their atomicity.
//
// Tables (schema "saleslake" unless the URI says ?schema=NAME), versioned by schema_version:
//   schema_version(version)                  one row per migration applied
//   log_meta(key, value)                     "lake": the lake root this log belongs to;
//                                            "moved_to": set when the log moved back to the lake
//   log_head(id = 1, last_seq)               the row every commit locks: commits are serial
//   commits(seq, kind, run_id, committed_at, finished, record)   record = the commit's JSON
//   checkpoints(seq, format, state)          the newest state snapshot (JSON)
//   workers, tasks, fencing_tokens           see task_queue.h
//
// A commit is one transaction: lock log_head, read the commits made since the writer's state
// (refusing the commit if one conflicts with it), check the task's fencing token if any, insert
// the record, advance the head. `finished` turns true once the commit's pending files are
// published; recovery publishes the unfinished ones.
#pragma once

#include <memory>
#include <string_view>

#include "base/status.h"
#include "io/file_system.h"
#include "lake/commit_log_store.h"
#include "lake/pg_connection.h"

namespace saleslake::lake {

// The schema version this saleslake writes and reads.
inline constexpr int kPgSchemaVersion = 2;

// Opens the log for the lake on `fs`; refuses a schema that is missing, older or newer than
// kPgSchemaVersion (saying to run `saleslake commit-log migrate`), and a log that belongs to
// another lake or moved back into the lake.
// `allow_moved` (moving a log) opens a log that was moved back into the lake.
Result<std::unique_ptr<CommitLogStore>> OpenPgCommitLog(std::shared_ptr<io::FileSystem> fs,
                                                        std::string_view uri,
                                                        bool allow_moved = false);

// Creates or upgrades the schema to kPgSchemaVersion (one transaction per step, serialised by
// an advisory lock, so concurrent migrations are safe). Returns the version found (0: none).
Result<int> MigratePgSchema(PgConnection* conn);
// The schema version in the database (0 when there is none).
Result<int> PgSchemaVersion(PgConnection* conn);

}  // namespace saleslake::lake
